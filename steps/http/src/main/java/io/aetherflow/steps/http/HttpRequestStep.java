package io.aetherflow.steps.http;

import io.aetherflow.api.support.Json;
import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import io.aetherflow.api.step.ConnectorUnavailableException;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * {@code http_request}: one HTTP request through a {@code rest} resource (or, with only {@code url},
 * through an ad-hoc connector the engine picks among the installed {@code rest} drivers). Fails unless the status is in
 * {@code expected_status} (default {@code 2xx}); can save the body as an artifact (atomically) and
 * promote small JSON fields of the response to step outputs. See docs/connectors-http.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=http_request")
public final class HttpRequestStep implements Step {

    static final String TYPE = "http_request";
    static final long DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
    static final int EXCERPT_CHARS = 200;
    static final Set<String> RESERVED = Set.of("status", "ok", "url", "attempts", "bytes", "elapsed_ms", "headers",
            "saved_to", "body", "json", "reason");
    static final List<String> DEFAULT_OUTPUT_HEADERS = List.of("content-type", "content-length", "location", "etag");

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        Request req = Request.from(in, ctx);

        Connector adHoc = null;
        HttpConnector http;
        if (req.resource() != null) {
            http = ctx.connector(req.resource(), HttpConnector.class);
        } else {
            adHoc = adHocConnector(ctx, in);
            http = (HttpConnector) adHoc;
        }
        long t0 = System.nanoTime();
        HttpReply reply;
        try {
            reply = http.request(req.call());
        } catch (ConnectorException e) {
            throw new StepFailedException(TYPE + ": " + ctx.mask(e.getMessage()), e);
        } finally {
            if (adHoc != null) {
                adHoc.close();
            }
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("method", req.call().method());
        ev.put("url", reply.uri());
        ev.put("status", reply.status());
        ev.put("attempts", reply.attempts());
        ev.put("bytes", reply.body().length);
        ev.put("duration_ms", elapsed);
        ctx.event(req.expected().matches(reply.status()) ? "INFO" : "ERROR", "http_request", ev);

        if (!req.expected().matches(reply.status())) {
            throw new StepFailedException(TYPE + ": " + req.call().method() + " " + reply.uri()
                    + " returned HTTP " + reply.status() + ", expected " + req.expected() + excerpt(ctx, reply)
                    + " (after " + reply.attempts() + " attempt(s); adjust expected_status if this status is fine)");
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", reply.status());
        out.put("url", reply.uri());
        out.put("attempts", reply.attempts());
        out.put("bytes", reply.body().length);
        out.put("elapsed_ms", elapsed);
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String h : req.outputHeaders()) {
            String v = reply.header(h);
            if (v != null) {
                headers.put(h, ctx.mask(v));
            }
        }
        out.put("headers", headers);
        if (req.saveTo() != null) {
            Path target = ctx.resolvePath(req.saveTo());
            writeAtomically(target, reply.body());
            out.put("saved_to", target.toString());
        }
        if (req.captureBody()) {
            String text = reply.text();
            if (text.getBytes(StandardCharsets.UTF_8).length > req.maxOutputBytes()) {
                throw new StepFailedException(TYPE + ": response body of " + reply.body().length
                        + " bytes is larger than max_output_bytes (" + req.maxOutputBytes()
                        + "); use save_to for large responses or json_fields for single values");
            }
            out.put("body", ctx.mask(text));
        }
        if (!req.jsonFields().isEmpty()) {
            promote(ctx, req, reply, out);
        }
        return StepResult.success(out);
    }

    private static Connector adHocConnector(StepContext ctx, StepInputs in) {
        try {
            return ctx.adhocConnector("rest", HttpConnector.class, in.section("options").asMap());
        } catch (ConnectorUnavailableException e) {
            if (e.reasons().isEmpty()) {
                throw new StepFailedException(TYPE + ": no rest connector is installed, so a request "
                        + "without a resource cannot be sent (install io.aetherflow.connectors.http)");
            }
            throw new StepFailedException(TYPE + ": " + ctx.mask(String.join("; ", e.reasons())), e.getCause());
        }
    }

    /** A short, single-line, masked excerpt of the body for error messages. */
    static String excerpt(StepContext ctx, HttpReply reply) {
        if (reply.body().length == 0) {
            return "";
        }
        String text = reply.text().replaceAll("\\s+", " ").trim();
        text = ctx.mask(text);
        if (text.length() > EXCERPT_CHARS) {
            text = text.substring(0, EXCERPT_CHARS) + "...";
        }
        return "; body: " + text;
    }

    private static void promote(StepContext ctx, Request req, HttpReply reply, Map<String, Object> out) {
        Object doc;
        try {
            doc = Json.parse(reply.text());
        } catch (IllegalArgumentException e) {
            String ct = reply.header("content-type");
            throw new StepFailedException(TYPE + ": json_fields needs a JSON response, but the body "
                    + "of " + reply.uri() + " (content-type " + (ct == null ? "none" : ct) + ") is not JSON: "
                    + e.getMessage());
        }
        for (Map.Entry<String, String> f : req.jsonFields().entrySet()) {
            Object v = JsonPath.get(doc, f.getValue(), f.getKey());
            if (v instanceof String s) {
                v = ctx.mask(s);
            }
            int size = Json.write(v).getBytes(StandardCharsets.UTF_8).length;
            if (size > req.maxOutputBytes()) {
                throw new StepFailedException(TYPE + ": json_fields." + f.getKey() + " ('"
                        + f.getValue() + "') is " + size + " bytes as JSON, more than max_output_bytes ("
                        + req.maxOutputBytes() + "); promote a smaller part or use save_to");
            }
            out.put(f.getKey(), v);
        }
    }

    /** Writes {@code <target>.tmp} and renames it over the target. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        if (!present(raw, "resource") && !present(raw, "url")) {
            checks.error("semantic:http_request_missing_target", "inputs",
                    "http_request needs inputs.resource (a rest resource) or inputs.url (an absolute URL)");
        }
        if (present(raw, "path") && !present(raw, "resource")) {
            checks.error("semantic:http_request_path_without_resource", "inputs.path",
                    "http_request inputs.path is relative to a resource's base_url: set inputs.resource or use inputs.url");
        }
        int bodies = 0;
        for (String k : List.of("json", "body", "body_file")) {
            if (raw.containsKey(k)) {
                bodies++;
            }
        }
        if (bodies > 1) {
            checks.error("semantic:http_request_body_conflict", "inputs",
                    "http_request takes at most one of inputs.json, inputs.body and inputs.body_file");
        }
        Object expected = raw.get("expected_status");
        if (expected != null && !String.valueOf(expected).contains("{{")) {
            try {
                StatusSet.parse(expected);
            } catch (IllegalArgumentException e) {
                checks.error("semantic:http_request_expected_status", "inputs.expected_status",
                        "http_request expected_status: " + e.getMessage());
            }
        }
        Object fields = raw.get("json_fields");
        if (fields != null) {
            if (fields instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (RESERVED.contains(String.valueOf(k))) {
                        checks.error("semantic:http_request_json_field_name", "inputs.json_fields." + k,
                                "http_request json_fields name '" + k + "' clashes with a built-in output " + new java.util.TreeSet<>(RESERVED)
                                        + ": choose another name");
                    }
                }
            } else if (!String.valueOf(fields).contains("{{")) {
                checks.error("semantic:http_request_json_fields_type", "inputs.json_fields",
                        "http_request json_fields must map output names to dotted paths, e.g. {id: data.id}");
            }
        }
        for (String k : List.of("headers", "query", "options")) {
            Object v = raw.get(k);
            if (v != null && !(v instanceof Map) && !String.valueOf(v).contains("{{")) {
                checks.error("semantic:http_request_" + k + "_type", "inputs." + k,
                        "http_request inputs." + k + " must be a mapping");
            }
        }
    }

    private static boolean present(Map<String, Object> raw, String key) {
        Object v = raw.get(key);
        return v != null && !(v instanceof String s && s.isEmpty());
    }

    /** The parsed inputs of one invocation. */
    record Request(String resource, HttpCall call, StatusSet expected, String saveTo, boolean captureBody,
            long maxOutputBytes, Map<String, String> jsonFields, List<String> outputHeaders) {

        static Request from(StepInputs in, StepContext ctx) {
            String resource = blankToNull(in.optString("resource", null));
            String url = blankToNull(in.optString("url", null));
            String path = blankToNull(in.optString("path", null));
            if (resource == null && url == null) {
                throw new StepInputException(TYPE + ": give inputs.resource (a rest resource) or inputs.url");
            }
            if (resource == null && path != null) {
                throw new StepInputException(TYPE + ": inputs.path is relative to a resource's base_url; set "
                        + "inputs.resource or give an absolute inputs.url");
            }
            if (resource == null && !url.toLowerCase(Locale.ROOT).matches("https?://.*")) {
                throw new StepInputException(TYPE + ": inputs.url must be an absolute http(s) URL when no resource is "
                        + "given");
            }
            String target = url != null ? url : path == null ? "" : path;
            target = withQuery(target, in.section("query").asMap());

            String method = in.optString("method", "GET").trim().toUpperCase(Locale.ROOT);
            if (!method.matches("[A-Z]+")) {
                throw new StepInputException(TYPE + ": inputs.method must be an HTTP method such as GET or POST, got '"
                        + method + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            in.section("headers").asMap().forEach((k, v) -> {
                if (v != null) {
                    headers.put(k, String.valueOf(v));
                }
            });
            byte[] body = null;
            int bodies = 0;
            if (in.raw("json") != null) {
                bodies++;
                body = Json.write(in.raw("json")).getBytes(StandardCharsets.UTF_8);
                if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
                    headers.put("Content-Type", "application/json");
                }
            }
            if (in.raw("body") != null) {
                bodies++;
                body = in.string("body").getBytes(StandardCharsets.UTF_8);
            }
            if (in.raw("body_file") != null) {
                bodies++;
                Path file = ctx.resolvePath(in.string("body_file"));
                try {
                    body = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new StepFailedException(TYPE + ": cannot read body_file " + file + ": " + e.getMessage()
                            + " (the path is relative to the job's artifacts directory)", e);
                }
            }
            if (bodies > 1) {
                throw new StepInputException(TYPE + ": give at most one of inputs.json, inputs.body and inputs.body_file");
            }
            Duration timeout = null;
            if (in.raw("timeout") != null) {
                double secs = in.number("timeout", 0);
                if (!(secs > 0)) {
                    throw new StepInputException(TYPE + ": inputs.timeout must be a positive number of seconds");
                }
                timeout = Duration.ofMillis(Math.max(1, Math.round(secs * 1000)));
            }
            long maxResponse = in.integer("max_response_bytes", HttpCall.DEFAULT_MAX_BODY_BYTES);
            long maxOutput = in.integer("max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES);
            if (maxResponse <= 0 || maxOutput <= 0) {
                throw new StepInputException(TYPE + ": max_response_bytes and max_output_bytes must be positive");
            }
            StatusSet expected;
            try {
                expected = StatusSet.parse(in.raw("expected_status"));
            } catch (IllegalArgumentException e) {
                throw new StepInputException(TYPE + ": expected_status: " + e.getMessage());
            }
            Map<String, String> fields = new LinkedHashMap<>();
            in.section("json_fields").asMap().forEach((k, v) -> {
                if (RESERVED.contains(k)) {
                    throw new StepInputException(TYPE + ": json_fields name '" + k + "' clashes with a built-in output");
                }
                if (v == null || v.toString().isBlank()) {
                    throw new StepInputException(TYPE + ": json_fields." + k + " needs a dotted path, e.g. data.id");
                }
                fields.put(k, v.toString());
            });
            List<String> outHeaders = new ArrayList<>();
            if (in.has("output_headers")) {
                for (Object o : in.list("output_headers")) {
                    outHeaders.add(String.valueOf(o).toLowerCase(Locale.ROOT));
                }
            } else {
                outHeaders.addAll(DEFAULT_OUTPUT_HEADERS);
            }
            HttpCall call = new HttpCall(method, target, headers, body, timeout, maxResponse);
            return new Request(resource, call, expected, blankToNull(in.optString("save_to", null)),
                    in.bool("capture_body", false), maxOutput, fields, outHeaders);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        private static String withQuery(String target, Map<String, Object> query) {
            if (query.isEmpty()) {
                return target;
            }
            StringBuilder sb = new StringBuilder(target);
            char sep = target.contains("?") ? '&' : '?';
            for (Map.Entry<String, Object> e : query.entrySet()) {
                List<Object> values = e.getValue() instanceof List<?> l ? new ArrayList<>(l) : List.of(e.getValue());
                for (Object v : values) {
                    if (v == null) {
                        continue;
                    }
                    sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
                    sep = '&';
                }
            }
            return sb.toString();
        }
    }
}
