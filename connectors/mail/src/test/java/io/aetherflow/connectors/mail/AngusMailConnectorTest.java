package io.aetherflow.connectors.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.mail.MailConnector;
import io.aetherflow.api.connector.mail.MailMessage;
import io.aetherflow.api.connector.mail.MailReceipt;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

/** The mail:smtp connector against GreenMail (a real SMTP/SMTPS server) on loopback. */
class AngusMailConnectorTest {

    static final String PASSWORD = "S3cret-pa55word";

    @TempDir
    Path tmp;

    GreenMail mail;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup[] {
            slowStart(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()),
            slowStart(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort())});
        mail.start();
        mail.setUser("robot@example.org", "robot", PASSWORD);
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    MailConnector connector(Map<String, Object> config, Map<String, Object> options) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", smtpPort());
        c.put("starttls", false);
        c.put("from_addr", "AetherFlow <robot@example.org>");
        c.putAll(config);
        return (MailConnector) new MailConnectorFactory().create(new ConnectorConfig("mailer", "mail", "smtp", c, options));
    }

    @Test
    void plainTextWithLoginReachesTheRecipient() throws Exception {
        try (MailConnector c = connector(Map.of("username", "robot", "password", PASSWORD), Map.of())) {
            MailReceipt r = c.send(MailMessage.plain(List.of("ops@example.org"), "Nightly report ✓", "All 3 jobs OK\nbye"));
            assertEquals(1, r.recipients());
            assertEquals(1, r.attempts());
            assertTrue(r.from().contains("robot@example.org"), r.from());
        }
        MimeMessage[] got = mail.getReceivedMessages();
        assertEquals(1, got.length);
        assertEquals("Nightly report ✓", got[0].getSubject());
        assertEquals("ops@example.org", got[0].getHeader("To", ","));
        assertTrue(got[0].getContentType().startsWith("text/plain"), got[0].getContentType());
        assertEquals("All 3 jobs OK\r\nbye", GreenMailUtil.getBody(got[0]).trim());
    }

    @Test
    void htmlIsMultipartAlternativeWithThePlainFallback() throws Exception {
        try (MailConnector c = connector(Map.of(), Map.of())) {
            c.send(new MailMessage(null, List.of("ops@example.org"), null, null, "html", "plain fallback",
                    "<p>Hello <b>ops</b></p>", null, Map.of("X-Run-Id", "r42")));
        }
        MimeMessage got = mail.getReceivedMessages()[0];
        assertTrue(got.getContentType().startsWith("multipart/alternative"), got.getContentType());
        assertEquals("r42", got.getHeader("X-Run-Id", null));
        Multipart mp = (Multipart) got.getContent();
        assertEquals(2, mp.getCount());
        assertTrue(mp.getBodyPart(0).isMimeType("text/plain"));
        assertEquals("plain fallback", mp.getBodyPart(0).getContent().toString().trim());
        assertTrue(mp.getBodyPart(1).isMimeType("text/html"));
        assertTrue(mp.getBodyPart(1).getContent().toString().contains("<b>ops</b>"));
    }

    @Test
    void ccInHeadersBccDeliveredButNeverInHeaders() throws Exception {
        try (MailConnector c = connector(Map.of(), Map.of())) {
            MailReceipt r = c.send(new MailMessage(null, List.of("a@to.example, b@to.example"), List.of("c@cc.example"),
                    List.of("hidden@bcc.example"), "cc/bcc", "body", null, null, null));
            assertEquals(4, r.recipients());
        }
        assertEquals(4, mail.getReceivedMessages().length, "one delivery per envelope recipient");
        assertEquals(1, mail.findReceivedMessages(u -> u.getEmail().equals("hidden@bcc.example"), m -> true).count(),
                "the Bcc recipient got it");
        assertEquals(1, mail.findReceivedMessages(u -> u.getEmail().equals("c@cc.example"), m -> true).count());
        for (MimeMessage m : mail.getReceivedMessages()) {
            assertNull(m.getHeader("Bcc"));
            assertFalse(GreenMailUtil.getWholeMessage(m).contains("hidden@bcc.example"), GreenMailUtil.getWholeMessage(m));
            assertEquals("a@to.example, b@to.example", m.getHeader("To", ", "));
            assertEquals("c@cc.example", m.getHeader("Cc", ", "));
        }
    }

    @Test
    void attachmentsKeepNameAndBytes() throws Exception {
        Path csv = Files.writeString(tmp.resolve("report.csv"), "id,total\n1,42\n");
        byte[] bin = new byte[3000];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) i;
        }
        Path raw = Files.write(tmp.resolve("blob.bin"), bin);
        try (MailConnector c = connector(Map.of(), Map.of())) {
            c.send(new MailMessage(null, List.of("ops@example.org"), null, null, "files", "see attached", null,
                    List.of(csv, raw), null));
        }
        MimeMessage got = mail.getReceivedMessages()[0];
        assertTrue(got.getContentType().startsWith("multipart/mixed"), got.getContentType());
        Multipart mp = (Multipart) got.getContent();
        assertEquals(3, mp.getCount());
        assertEquals("see attached", mp.getBodyPart(0).getContent().toString().trim());
        BodyPart a = mp.getBodyPart(1);
        assertEquals("report.csv", a.getFileName());
        assertEquals("id,total\n1,42\n", new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("blob.bin", mp.getBodyPart(2).getFileName());
        assertTrue(java.util.Arrays.equals(bin, mp.getBodyPart(2).getInputStream().readAllBytes()));
    }

    @Test
    void missingAttachmentIsAClearErrorAndNothingIsSent() {
        try (MailConnector c = connector(Map.of(), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.send(new MailMessage(null,
                    List.of("ops@example.org"), null, null, "s", "b", null, List.of(tmp.resolve("nope.csv")), null)));
            assertTrue(e.getMessage().contains("nope.csv does not exist"), e.getMessage());
        }
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void oneConnectionServesSeveralMessages() throws Exception {
        try (MailConnector c = connector(Map.of("username", "robot", "password", PASSWORD), Map.of())) {
            for (int i = 0; i < 3; i++) {
                c.send(MailMessage.plain(List.of("ops@example.org"), "n" + i, "b"));
            }
        }
        assertEquals(3, mail.getReceivedMessages().length);
    }

    @Test
    void badCredentialsFailOnceWithoutThePassword() {
        String wrong = "Wr0ng-" + PASSWORD;
        try (MailConnector c = connector(Map.of("username", "robot", "password", wrong),
                Map.of("retry", Map.of("max_attempts", 3, "backoff", 0.01)))) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("ops@example.org"), "s", "b")));
            String m = e.getMessage();
            assertTrue(m.startsWith("SMTP send failed after 1 attempt(s) via 127.0.0.1:" + smtpPort()
                    + ": SMTP login failed for user 'robot'"), m);
            assertTrue(m.endsWith("check config.username and config.password"), m);
            assertFalse(m.contains(wrong), m);
            assertFalse(m.contains(PASSWORD), m);
        }
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (MailConnector c = connector(Map.of("port", port, "password", PASSWORD, "username", "robot"),
                Map.of("retry", Map.of("max_attempts", 2, "backoff", 0.05)))) {
            long t0 = System.nanoTime();
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("ops@example.org"), "s", "b")));
            assertEquals("SMTP send failed after 2 attempt(s) via 127.0.0.1:" + port
                    + ": connection refused (is the SMTP server running and config.port right?)", e.getMessage());
            assertTrue(System.nanoTime() - t0 >= 50_000_000L, "waited the backoff");
        }
    }

    @Test
    void silentServerTimesOut() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        held.add(s.accept()); // accept, never greet
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            try (MailConnector c = connector(Map.of("port", s.getLocalPort()), Map.of("timeout", 0.5))) {
                long t0 = System.nanoTime();
                ConnectorException e = assertThrows(ConnectorException.class,
                        () -> c.send(MailMessage.plain(List.of("ops@example.org"), "s", "b")));
                assertEquals("SMTP send failed after 1 attempt(s) via 127.0.0.1:" + s.getLocalPort()
                        + ": timed out: no answer within 0.5 s (options.timeout; is this an SMTP port?)", e.getMessage());
                assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            }
        } finally {
            for (Socket x : held) {
                x.close();
            }
        }
    }

    @Test
    void starttlsIsRequiredWhenEnabled() {
        // GreenMail's SMTP does not offer STARTTLS: a required STARTTLS must not fall back to plain text
        try (MailConnector c = connector(Map.of("starttls", true, "username", "robot", "password", PASSWORD), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("ops@example.org"), "s", "b")));
            assertTrue(e.getMessage().contains("SMTP STARTTLS failed"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void implicitTlsWithVerificationOffDelivers() throws Exception {
        try (MailConnector c = connector(Map.of("port", mail.getSmtps().getPort(), "ssl", true,
                "username", "robot", "password", PASSWORD), Map.of("verify_ssl", false))) {
            c.send(MailMessage.plain(List.of("ops@example.org"), "over TLS", "b"));
        }
        assertEquals("over TLS", mail.getReceivedMessages()[0].getSubject());
    }

    @Test
    void implicitTlsRefusesAnUntrustedCertificate() {
        try (MailConnector c = connector(Map.of("port", mail.getSmtps().getPort(), "ssl", true),
                Map.of("retry", Map.of("max_attempts", 3, "backoff", 0.01)))) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("ops@example.org"), "s", "b")));
            assertTrue(e.getMessage().startsWith("SMTP send failed after 1 attempt(s) via 127.0.0.1:"
                    + mail.getSmtps().getPort() + ": TLS failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("options.ca_file"), e.getMessage());
        }
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void configurationErrorsNameTheKey() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> new MailConnectorFactory().create(
                new ConnectorConfig("m", "mail", "smtp", Map.of("port", 25), Map.of())));
        assertTrue(e.getMessage().startsWith("mail.smtp requires config.host"), e.getMessage());
        e = assertThrows(ConnectorException.class, () -> new MailConnectorFactory().create(
                new ConnectorConfig("m", "mail", "smtp", Map.of("host", "h", "port", "smtp"), Map.of())));
        assertEquals("config.port of resource m must be an integer", e.getMessage());
    }

    @Test
    void defaultsFollowTheReference() {
        MailSettings s = MailSettings.from(new ConnectorConfig("m", "mail", "smtp",
                Map.of("host", "smtp.example.org", "username", "bot@example.org", "password", PASSWORD), Map.of()));
        assertEquals(587, s.port());
        assertEquals(MailSettings.Security.STARTTLS, s.security());
        assertEquals("bot@example.org", s.from());
        assertEquals(1, s.maxAttempts());
        assertEquals(30_000, s.timeout().toMillis());
        assertFalse(s.toString().contains(PASSWORD));
        MailSettings ssl = MailSettings.from(new ConnectorConfig("m", "mail", "smtp",
                Map.of("host", "h", "ssl", "true"), Map.of()));
        assertEquals(465, ssl.port());
        assertEquals(MailSettings.Security.SSL, ssl.security());
        MailSettings plain25 = MailSettings.from(new ConnectorConfig("m", "mail", "smtp",
                Map.of("host", "h", "port", "25"), Map.of()));
        assertEquals(MailSettings.Security.NONE, plain25.security());
    }

    @Test
    void invalidInputsAreRefusedBeforeConnecting() {
        try (MailConnector c = connector(Map.of("port", 9), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("not an address"), "s", "b")));
            assertTrue(e.getMessage().startsWith("invalid address in to: 'not an address'"), e.getMessage());
            e = assertThrows(ConnectorException.class, () -> c.send(new MailMessage(null, List.of("a@b.example"), null,
                    null, "s", "b", null, null, Map.of("Bcc", "x@y.example"))));
            assertTrue(e.getMessage().startsWith("mail header 'Bcc' cannot be set"), e.getMessage());
            e = assertThrows(ConnectorException.class, () -> c.send(new MailMessage(null, List.of("a@b.example"), null,
                    null, "s", "b", null, null, Map.of("X-Evil", "a\r\nBcc: x@y.example"))));
            assertTrue(e.getMessage().contains("line break"), e.getMessage());
            e = assertThrows(ConnectorException.class, () -> c.send(MailMessage.plain(List.of(), "s", "b")));
            assertTrue(e.getMessage().startsWith("no recipient"), e.getMessage());
        }
        try (MailConnector c = connector(Map.of("from_addr", ""), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> c.send(MailMessage.plain(List.of("a@b.example"), "s", "b")));
            assertTrue(e.getMessage().startsWith("no sender for mail resource mailer"), e.getMessage());
            assertInstanceOf(ConnectorException.class, e);
        }
    }

    /** GreenMail's default 2 s start-up limit is too short on a loaded 2-core machine. */
    private static ServerSetup slowStart(ServerSetup setup) {
        setup.setServerStartupTimeout(30_000);
        return setup;
    }
}
