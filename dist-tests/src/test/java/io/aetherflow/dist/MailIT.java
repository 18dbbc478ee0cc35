package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.aetherflow.dist.Aetherflow.Result;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution sends mail through GreenMail started by the test on loopback: the shipped
 * example (HTML, cc, bcc, an attachment made by an earlier step, login with a password from the
 * environment) and a wrong password (exit 1, one line, password masked).
 */
@RunsExamples("mail")
class MailIT {

    private static final String PASSWORD = "dist-Mail-PASSWORD-8812";

    @TempDir
    Path tmp;

    private GreenMail mail;

    @BeforeEach
    void startServer() {
        mail = new GreenMail(slowStart(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()));
        mail.start();
        mail.setUser("reports@example.org", "reports", PASSWORD);
    }

    @AfterEach
    void stopServer() {
        mail.stop();
    }

    private Map<String, String> env(String password) {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
        env.put("SMTP_USER", "reports");
        env.put("SMTP_PASSWORD", password);
        return env;
    }

    @Test
    void exampleFlowSendsHtmlWithCcBccAndAnAttachment() throws Exception {
        Result r = Aetherflow.run(Aetherflow.REPO, env(PASSWORD), "run", "--flow-yaml", "examples/mail/flow.yaml",
                "--run-id", "m1");

        assertEquals(0, r.exit(), r.toString());
        MimeMessage[] got = mail.getReceivedMessages();
        assertEquals(3, got.length, "to, cc and bcc each got one copy");
        assertEquals(1, mail.findReceivedMessages(u -> u.getEmail().equals("audit@example.org"), m -> true).count());
        MimeMessage m = got[0];
        assertEquals("Nightly export m1: 2 rows", m.getSubject());
        assertEquals("ops@example.org", m.getHeader("To", ", "));
        assertEquals("team-lead@example.org", m.getHeader("Cc", ", "));
        assertNull(m.getHeader("Bcc"));
        assertFalse(GreenMailUtil.getWholeMessage(m).contains("audit@example.org"));
        Multipart mixed = (Multipart) m.getContent();
        Multipart alt = (Multipart) mixed.getBodyPart(0).getContent();
        assertTrue(alt.getBodyPart(1).getContent().toString().contains("<b>2</b> rows"), alt.getBodyPart(1).getContent().toString());
        assertEquals("export.csv", mixed.getBodyPart(1).getFileName());
        assertEquals("id,name\n1,alpha\n2,beta\n",
                new String(mixed.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(r.stderr().contains("mail sent: m1"), r.stderr());
        assertFalse(r.stderr().contains(PASSWORD), r.stderr());
    }

    @Test
    void wrongPasswordFailsTheRunWithOneMaskedLine() throws Exception {
        String wrong = "WRONG-" + PASSWORD;
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), "resources:\n"
                + "  mailer:\n"
                + "    kind: mail\n"
                + "    driver: smtp\n"
                + "    config:\n"
                + "      host: \"{{env.SMTP_HOST}}\"\n"
                + "      port: \"{{env.SMTP_PORT}}\"\n"
                + "      starttls: false\n"
                + "      username: \"{{env.SMTP_USER}}\"\n"
                + "      password: \"{{env.SMTP_PASSWORD}}\"\n"
                + "      from_addr: reports@example.org\n"
                + flow("mail_fail", "  - id: notify\n    steps:\n"
                        + sh("before", "true", null)
                        + "      - id: send\n"
                        + "        type: mail_send\n"
                        + "        inputs:\n"
                        + "          resource: mailer\n"
                        + "          to: ops@example.org\n"
                        + "          subject: s\n"
                        + "          body: b\n"));
        Result r = Aetherflow.run(tmp, env(wrong), "run", "--flow-yaml", f.toString(), "--run-id", "m2");

        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("mail_send: SMTP send failed after 1 attempt(s) via 127.0.0.1:"
                + mail.getSmtp().getPort() + ": SMTP login failed for user 'reports'"), r.stderr());
        assertFalse(r.stderr().contains(wrong), r.stderr());
        assertEquals(0, mail.getReceivedMessages().length);
    }

    /** GreenMail's default 2 s start-up limit is too short on a loaded 2-core machine. */
    private static ServerSetup slowStart(ServerSetup setup) {
        setup.setServerStartupTimeout(30_000);
        return setup;
    }
}
