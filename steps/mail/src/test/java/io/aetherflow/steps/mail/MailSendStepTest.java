package io.aetherflow.steps.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.mail.MailConnectorFactory;
import io.aetherflow.testkit.FakeStepContext;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mail_send through the real mail:smtp connector to GreenMail on loopback. */
class MailSendStepTest {

    static final String PASSWORD = "Step-pa55word";

    @TempDir
    Path tmp;

    GreenMail mail;
    Path artifacts;

    @BeforeEach
    void start() throws Exception {
        mail = new GreenMail(slowStart(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()));
        mail.start();
        mail.setUser("robot@example.org", "robot", PASSWORD);
        artifacts = Files.createDirectories(tmp.resolve("job/artifacts"));
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    StepResult run(Map<String, Object> inputs, String password) throws Exception {
        try (FakeStepContext ctx = context(inputs, password)) {
            return new MailSendStep().run(ctx);
        }
    }

    FakeStepContext context(Map<String, Object> inputs, String password) {
        FakeStepContext ctx = FakeStepContext.at(artifacts.getParent()).stepId("notify").stepType(MailSendStep.TYPE)
                .inputs(inputs).secret(password);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("host", "127.0.0.1");
        cfg.put("port", mail.getSmtp().getPort());
        cfg.put("starttls", false);
        cfg.put("username", "robot");
        cfg.put("password", password);
        cfg.put("from_addr", "robot@example.org");
        ctx.resource("smtp", "mail", "smtp", cfg, Map.of(), new MailConnectorFactory());
        return ctx;
    }

    static Map<String, Object> inputs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", "smtp");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void plainTextWithReferenceOutputs() throws Exception {
        StepResult r = run(inputs("to", "ops@example.org", "subject", "Run r1 done", "body", "3 files"), PASSWORD);
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(true, r.output().get("sent"));
        assertEquals(List.of("ops@example.org"), r.output().get("to"));
        assertEquals("Run r1 done", r.output().get("subject"));
        assertEquals(false, r.output().get("html"));
        assertEquals(1, r.output().get("attempts"));
        assertTrue(r.output().get("message_id").toString().startsWith("<"));
        MimeMessage got = mail.getReceivedMessages()[0];
        assertEquals("Run r1 done", got.getSubject());
        assertEquals("3 files", GreenMailUtil.getBody(got).trim());
        assertTrue(got.getContentType().startsWith("text/plain"));
    }

    @Test
    void htmlBodyWithTextFallback() throws Exception {
        StepResult r = run(inputs("to", List.of("ops@example.org"), "subject", "html", "body", "<h1>Done</h1>",
                "html", "true", "text", "Done"), PASSWORD);
        assertEquals(true, r.output().get("html"));
        Multipart mp = (Multipart) mail.getReceivedMessages()[0].getContent();
        assertEquals("Done", mp.getBodyPart(0).getContent().toString().trim());
        assertTrue(mp.getBodyPart(1).isMimeType("text/html"));
        assertTrue(mp.getBodyPart(1).getContent().toString().contains("<h1>Done</h1>"));
    }

    @Test
    void commaStringsAndListsBccOnlyInTheEnvelope() throws Exception {
        StepResult r = run(inputs("to", "a@example.org, \"Doe, Jane\" <jane@example.org>", "cc", List.of("c@example.org"),
                "bcc", "audit@example.org,archive@example.org", "subject", "s", "body", "b"), PASSWORD);
        assertEquals(List.of("a@example.org", "\"Doe, Jane\" <jane@example.org>"), r.output().get("to"));
        assertEquals(List.of("c@example.org"), r.output().get("cc"));
        assertEquals(2, r.output().get("bcc_count"));
        assertEquals(5, mail.getReceivedMessages().length);
        assertEquals(1, mail.findReceivedMessages(u -> u.getEmail().equals("archive@example.org"), m -> true).count());
        for (MimeMessage m : mail.getReceivedMessages()) {
            assertNull(m.getHeader("Bcc"));
            String whole = GreenMailUtil.getWholeMessage(m);
            assertFalse(whole.contains("audit@example.org") || whole.contains("archive@example.org"), whole);
        }
    }

    @Test
    void attachmentsComeFromTheArtifactsDirectory() throws Exception {
        Files.createDirectories(artifacts.resolve("out"));
        Files.writeString(artifacts.resolve("out/report.csv"), "a;b\n1;2\n");
        StepResult r = run(inputs("to", "ops@example.org", "subject", "s", "body", "b", "attachments",
                List.of("out/report.csv")), PASSWORD);
        assertEquals(List.of("report.csv"), r.output().get("attachments"));
        Multipart mp = (Multipart) mail.getReceivedMessages()[0].getContent();
        assertEquals("report.csv", mp.getBodyPart(1).getFileName());
        assertEquals("a;b\n1;2\n", new String(mp.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void attachmentOutsideTheSandboxOrMissingIsRefused() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> run(inputs("to", "o@example.org",
                "subject", "s", "body", "b", "attachments", "../../etc/passwd"), PASSWORD));
        assertTrue(e.getMessage().contains("Path not under allowed roots"), e.getMessage());
        e = assertThrows(StepFailedException.class, () -> run(inputs("to", "o@example.org", "subject", "s", "body", "b",
                "attachments", List.of("missing.pdf")), PASSWORD));
        assertTrue(e.getMessage().startsWith("mail_send: attachment " + artifacts.resolve("missing.pdf")
                + " does not exist"), e.getMessage());
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void badCredentialsFailWithOneMaskedLine() {
        String wrong = "not-" + PASSWORD;
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(inputs("to", "o@example.org", "subject", "s", "body", "b"), wrong));
        assertTrue(e.getMessage().startsWith("mail_send: SMTP send failed after 1 attempt(s) via 127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("SMTP login failed for user 'robot'"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingAndEmptyInputs() {
        StepInputException e = assertThrows(StepInputException.class,
                () -> run(inputs("to", "o@example.org", "body", "b"), PASSWORD));
        assertTrue(e.getMessage().contains("subject"), e.getMessage());
        e = assertThrows(StepInputException.class, () -> run(inputs("to", List.of(), "subject", "s", "body", "b"), PASSWORD));
        assertTrue(e.getMessage().contains("inputs.to is empty"), e.getMessage());
    }

    @Test
    void validationReportsMissingInputsAndBadBooleans() {
        List<String> errors = new ArrayList<>();
        InputChecks checks = new InputChecks() {
            @Override public void error(String code, String loc, String message) { errors.add(code + " " + loc); }
            @Override public void warning(String code, String loc, String message) { }
            @Override public void checkNestedStep(String loc, Map<String, Object> spec) { }
        };
        new MailSendStep().checkInputs(Map.of("resource", "smtp", "body", "x", "html", "maybe"), checks);
        assertEquals(List.of("semantic:mail_send_missing_to inputs.to", "semantic:mail_send_missing_subject inputs.subject",
                "semantic:mail_send_boolean inputs.html"), errors);
    }

    @Test
    void splitKeepsQuotedCommas() {
        assertEquals(List.of("a@x.org", "\"B, C\" <b@x.org>", "<d@x.org>"),
                MailSendStep.split(" a@x.org ,\"B, C\" <b@x.org>,, <d@x.org>"));
    }

    /** GreenMail's default 2 s start-up limit is too short on a loaded 2-core machine. */
    private static ServerSetup slowStart(ServerSetup setup) {
        setup.setServerStartupTimeout(30_000);
        return setup;
    }
}
