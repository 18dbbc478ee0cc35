package io.aetherflow.steps.mail;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.mail.MailConnector;
import io.aetherflow.api.connector.mail.MailMessage;
import io.aetherflow.api.connector.mail.MailReceipt;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code mail_send} (catalog 9.2.14): one message through a {@code mail} resource. Plain text by
 * default; {@code html: true} sends {@code body} as HTML with {@code text} as the plain alternative.
 * {@code to}/{@code cc}/{@code bcc} take a string (comma-separated addresses allowed) or a list;
 * {@code attachments} are files under the job's artifacts directory (paths go through the
 * sandbox). Subject and body are templated by the engine before the step runs. See
 * docs/connectors-mail.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=mail_send")
public final class MailSendStep implements Step {

    static final String TYPE = "mail_send";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputsRequiring("resource", "to", "subject", "body");
        String resource = in.string("resource");
        List<String> to = addresses(in, "to");
        List<String> cc = addresses(in, "cc");
        List<String> bcc = addresses(in, "bcc");
        if (to.isEmpty()) {
            throw new StepInputException(TYPE + ": inputs.to is empty: give at least one recipient address");
        }
        String subject = in.string("subject");
        String body = in.string("body");
        boolean html = in.bool("html", false);
        String text = in.optString("text", null);
        String from = in.optString("from_addr", null);
        if (from != null && from.isBlank()) {
            from = null;
        }
        List<Path> attachments = new ArrayList<>();
        for (Object a : in.list("attachments")) {
            if (a == null || a.toString().isBlank()) {
                continue;
            }
            Path p = ctx.resolvePath(a.toString());
            if (!Files.isRegularFile(p)) {
                throw new StepFailedException(TYPE + ": attachment " + p + " does not exist or is not a file "
                        + "(attachments are relative to the job's artifacts directory)");
            }
            attachments.add(p);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Object rawHeaders = in.raw("headers");
        if (rawHeaders != null) {
            if (!(rawHeaders instanceof Map<?, ?> m)) {
                throw new StepInputException(TYPE + ": inputs.headers must be a mapping of header names to values");
            }
            m.forEach((k, v) -> {
                if (v != null) {
                    headers.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }

        MailMessage message = html
                ? new MailMessage(from, to, cc, bcc, subject, text, body, attachments, headers)
                : new MailMessage(from, to, cc, bcc, subject, body, null, attachments, headers);
        MailConnector mail = ctx.connector(resource, MailConnector.class);
        MailReceipt receipt;
        try {
            receipt = mail.send(message);
        } catch (ConnectorException e) {
            throw new StepFailedException(TYPE + ": " + ctx.mask(e.getMessage()), e);
        }

        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("resource", resource);
        ev.put("to", to.size());
        ev.put("cc", cc.size());
        ev.put("bcc", bcc.size());
        ev.put("attachments", attachments.size());
        ev.put("attempts", receipt.attempts());
        ev.put("message_id", receipt.messageId());
        ctx.event("INFO", "mail_sent", ev);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sent", true);
        out.put("to", to);
        out.put("subject", subject);
        out.put("html", html);
        out.put("cc", cc);
        out.put("bcc_count", bcc.size());
        List<String> names = new ArrayList<>();
        for (Path p : attachments) {
            names.add(p.getFileName().toString());
        }
        out.put("attachments", names);
        out.put("from", receipt.from());
        out.put("message_id", receipt.messageId());
        out.put("attempts", receipt.attempts());
        return StepResult.success(out);
    }

    /** A string (comma-separated addresses allowed) or a list of such strings; null gives none. */
    static List<String> addresses(StepInputs in, String name) {
        List<String> out = new ArrayList<>();
        for (Object o : in.list(name)) {
            if (o == null) {
                continue;
            }
            if (o instanceof Map || o instanceof List) {
                throw new StepInputException(TYPE + ": inputs." + name + " must be an address or a list of addresses");
            }
            out.addAll(split(o.toString()));
        }
        return List.copyOf(out);
    }

    /** Splits on commas outside double quotes and angle brackets ({@code "Doe, Jane" <j@x>} stays whole). */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>' && angle > 0) {
                angle--;
            } else if (c == ',' && !quoted && angle == 0) {
                add(out, cur);
                continue;
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String a = cur.toString().trim();
        if (!a.isEmpty()) {
            out.add(a);
        }
        cur.setLength(0);
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        for (String k : List.of("resource", "to", "subject", "body")) {
            if (!raw.containsKey(k)) {
                checks.error("semantic:mail_send_missing_" + k, "inputs." + k, "mail_send requires inputs." + k);
            }
        }
        Object html = raw.get("html");
        if (html != null && !(html instanceof Boolean) && !html.toString().contains("{{")) {
            switch (html.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "false", "yes", "no", "1", "0":
                    break;
                default:
                    checks.error("semantic:mail_send_boolean", "inputs.html",
                            "mail_send inputs.html must be true or false, got '" + html + "'");
            }
        }
        Object headers = raw.get("headers");
        if (headers != null && !(headers instanceof Map) && !headers.toString().contains("{{")) {
            checks.error("semantic:mail_send_headers", "inputs.headers",
                    "mail_send inputs.headers must be a mapping of header names to values");
        }
    }
}
