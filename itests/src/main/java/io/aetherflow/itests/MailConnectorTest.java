package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The mail connector bundle registers {@code mail:smtp}, and {@code mail_send} sends through it
 * inside the framework: Jakarta Mail finds Angus's SMTP provider and activation's registries (the
 * thread context class loader gotcha), here with a multipart message and an attachment, delivered
 * to a minimal SMTP listener on loopback.
 */
@ExtendWith(BundleContextExtension.class)
class MailConnectorTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void mailSmtpFactoryAndMailSendStepAreRegistered() throws Exception {
        Registrations.factory(context, "mail", "smtp", "io.aetherflow.connectors.mail", "smtp");
        Registrations.stepsServedBy(context, "io.aetherflow.steps.mail", "mail_send");
    }

    @Test
    void flowSendsHtmlWithAnAttachmentThroughTheFramework() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = EngineFixture.loopbackServer("itest-smtp", s -> serve(s, lines))) {
            Path flow = EngineFixture.writeFlow(home,
                    EngineFixture.resources("mailer", "mail", "smtp", "host: 127.0.0.1",
                            "port: " + server.getLocalPort(), "starttls: false", "from_addr: robot@example.org"),
                    "    options: {timeout: 5}",
                    EngineFixture.oneJobFlow(home, "itest_mail"),
                    EngineFixture.shellStep("make", "printf 'id,n\\\\n1,2\\\\n' > report.csv"),
                    EngineFixture.resourceStep("notify", "mail_send", "mailer", "to: ops@example.org",
                            "bcc: [audit@example.org]", "subject: \"run {{run_id}}\"", "body: \"<p>done</p>\"", "html: true",
                            "attachments: [report.csv]"));
            EngineFixture.Outcome r = EngineFixture.runFlowOk(context, home, flow, "mail1");
            List<String> got = new ArrayList<>(lines);
            assertTrue(got.contains("RCPT TO:<ops@example.org>"), got.toString());
            assertTrue(got.contains("RCPT TO:<audit@example.org>"), got.toString());
            assertTrue(got.contains("Subject: run mail1"), got.toString());
            assertTrue(got.stream().anyMatch(l -> l.startsWith("Content-Type: multipart/mixed")), got.toString());
            assertTrue(got.stream().anyMatch(l -> l.startsWith("Content-Type: text/html")), got.toString());
            assertTrue(got.stream().anyMatch(l -> l.contains("filename=report.csv")), got.toString());
            assertFalse(got.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("bcc:")), got.toString());
        }
    }

    /** A minimal SMTP listener (java.net only): records commands and message lines, accepts everything. */
    private static void serve(ServerSocket server, List<String> lines) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream o = s.getOutputStream();
                reply(o, "220 itest ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    String cmd = line.toUpperCase(Locale.ROOT);
                    if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                        reply(o, "250-itest\r\n250 8BITMIME");
                    } else if (cmd.equals("DATA")) {
                        reply(o, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            lines.add(line);
                        }
                        reply(o, "250 queued");
                    } else if (cmd.equals("QUIT")) {
                        reply(o, "221 bye");
                        break;
                    } else {
                        reply(o, "250 ok");
                    }
                }
            } catch (IOException e) {
                return; // server socket closed at the end of the test
            }
        }
    }

    private static void reply(OutputStream o, String text) throws IOException {
        o.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
    }
}
