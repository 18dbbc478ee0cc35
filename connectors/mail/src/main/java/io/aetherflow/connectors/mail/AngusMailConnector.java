package io.aetherflow.connectors.mail;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.mail.MailConnector;
import io.aetherflow.api.connector.mail.MailMessage;
import io.aetherflow.api.connector.mail.MailReceipt;
import io.aetherflow.api.support.ConfiguredConnector;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * {@link MailConnector} over Jakarta Mail with Eclipse Angus SMTP. One SMTP connection is opened on
 * the first message and reused by later messages of the same connector (a run-scoped resource sends
 * a whole run's mail over one login); a failed attempt closes it and the next attempt reconnects.
 * Every Jakarta Mail call runs with {@link MailClassLoader} as the thread context class loader.
 */
final class AngusMailConnector extends ConfiguredConnector<MailSettings> implements MailConnector {

    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+");
    /** Headers the connector writes itself; a caller may not set them. */
    private static final Set<String> MANAGED_HEADERS = Set.of("bcc", "to", "cc", "from", "subject", "date",
            "message-id", "mime-version", "content-type", "content-transfer-encoding");

    private final ClassLoader mailLoader = MailClassLoader.create();
    private Session session;
    private Transport transport;

    AngusMailConnector(ConnectorConfig config, MailSettings settings) {
        super(config, settings);
    }

    @Override
    public synchronized MailReceipt send(MailMessage message) throws InterruptedException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(mailLoader);
        try {
            return sendWithMailLoader(message);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private MailReceipt sendWithMailLoader(MailMessage m) throws InterruptedException {
        String from = m.from() != null && !m.from().isBlank() ? m.from() : settings.from();
        if (from == null || from.isBlank()) {
            throw new ConnectorException("no sender for mail resource " + settings.resource()
                    + ": set config.from_addr on the resource or from_addr on the step");
        }
        InternetAddress sender = single("from_addr", from);
        List<InternetAddress> to = addresses("to", m.to());
        List<InternetAddress> cc = addresses("cc", m.cc());
        List<InternetAddress> bcc = addresses("bcc", m.bcc());
        List<Address> envelope = new ArrayList<>(to);
        envelope.addAll(cc);
        envelope.addAll(bcc);
        if (envelope.isEmpty()) {
            throw new ConnectorException("no recipient: give at least one address in to, cc or bcc");
        }
        MimeMessage msg;
        try {
            msg = build(session(), m, sender, to, cc);
        } catch (MessagingException e) {
            throw new ConnectorException("cannot build the message for mail resource " + settings.resource() + ": "
                    + scrub(firstLine(e)), e);
        }
        Address[] rcpts = envelope.toArray(new Address[0]);
        for (int attempt = 1;; attempt++) {
            try {
                Transport tr = transport();
                tr.sendMessage(msg, rcpts);
                return new MailReceipt(msg.getMessageID(), sender.toString(), rcpts.length, attempt);
            } catch (MessagingException e) {
                closeTransport();
                if (attempt >= settings.maxAttempts() || !retryable(e)) {
                    throw new ConnectorException("SMTP send failed after " + attempt + " attempt(s) via "
                            + settings.address() + ": " + reason(e), e);
                }
                Thread.sleep(settings.waitAfter(attempt).toMillis());
            }
        }
    }

    private MimeMessage build(Session s, MailMessage m, InternetAddress from, List<InternetAddress> to,
            List<InternetAddress> cc) throws MessagingException {
        MimeMessage msg = new MimeMessage(s);
        msg.setFrom(from);
        if (!to.isEmpty()) {
            msg.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
        }
        if (!cc.isEmpty()) {
            msg.setRecipients(Message.RecipientType.CC, cc.toArray(new Address[0]));
        }
        // Bcc recipients are only in the envelope (sendMessage's recipient list), never a header
        msg.setSubject(m.subject(), "UTF-8");
        msg.setSentDate(new Date());
        Map<String, String> headers = new LinkedHashMap<>(settings.headers());
        headers.putAll(m.headers());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            checkHeader(h.getKey(), h.getValue());
            msg.setHeader(h.getKey(), h.getValue());
        }

        String text = m.text() == null ? "" : m.text();
        MimeMultipart alternative = null;
        if (m.html() != null) {
            alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(m.html(), "UTF-8", "html");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(html);
        }
        if (m.attachments().isEmpty()) {
            if (alternative != null) {
                msg.setContent(alternative);
            } else {
                msg.setText(text, "UTF-8");
            }
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            if (alternative != null) {
                body.setContent(alternative);
            } else {
                body.setText(text, "UTF-8");
            }
            mixed.addBodyPart(body);
            for (Path file : m.attachments()) {
                mixed.addBodyPart(attachment(file));
            }
            msg.setContent(mixed);
        }
        msg.saveChanges(); // sets Message-ID and the MIME headers (sendMessage does not)
        return msg;
    }

    private static MimeBodyPart attachment(Path file) throws MessagingException {
        if (!Files.isRegularFile(file)) {
            throw new ConnectorException("attachment " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ConnectorException("attachment " + file + " is not readable (check its permissions)");
        }
        MimeBodyPart part = new MimeBodyPart();
        try {
            part.attachFile(file.toFile());
            // byte for byte: text files would otherwise be sent with canonical CRLF line ends
            part.setHeader("Content-Transfer-Encoding", "base64");
        } catch (IOException e) {
            throw new ConnectorException("cannot attach " + file + ": " + e.getMessage(), e);
        }
        return part;
    }

    private static void checkHeader(String name, String value) {
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
            throw new ConnectorException("invalid mail header name '" + name + "' (letters, digits and '-' only)");
        }
        if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new ConnectorException("mail header '" + name + "' cannot be set through headers: use the to, cc, "
                    + "bcc, from_addr and subject inputs");
        }
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new ConnectorException("mail header '" + name + "' has a line break or no value (header injection "
                    + "is refused)");
        }
    }

    private static InternetAddress single(String field, String entry) {
        List<InternetAddress> list = addresses(field, List.of(entry));
        if (list.size() != 1) {
            throw new ConnectorException(field + " must be exactly one address, got '" + entry + "'");
        }
        return list.get(0);
    }

    private static List<InternetAddress> addresses(String field, List<String> entries) {
        List<InternetAddress> out = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            try {
                for (InternetAddress a : InternetAddress.parse(entry.trim(), true)) {
                    a.validate();
                    out.add(a);
                }
            } catch (AddressException e) {
                throw new ConnectorException("invalid address in " + field + ": '" + entry.trim() + "' ("
                        + e.getMessage() + ")");
            }
        }
        return out;
    }

    private synchronized Session session() {
        if (session == null) {
            Properties p = new Properties();
            p.put("mail.transport.protocol", "smtp");
            p.put("mail.smtp.host", settings.host());
            p.put("mail.smtp.port", Integer.toString(settings.port()));
            p.put("mail.smtp.connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
            p.put("mail.smtp.timeout", Long.toString(settings.timeout().toMillis()));
            p.put("mail.smtp.writetimeout", Long.toString(settings.timeout().toMillis()));
            p.put("mail.smtp.auth", Boolean.toString(credentials()));
            if (settings.heloName() != null) {
                p.put("mail.smtp.localhost", settings.heloName());
            }
            switch (settings.security()) {
                case SSL -> p.put("mail.smtp.ssl.enable", "true");
                case STARTTLS -> {
                    p.put("mail.smtp.starttls.enable", "true");
                    p.put("mail.smtp.starttls.required", "true");
                }
                case NONE -> p.put("mail.smtp.starttls.enable", "false");
            }
            p.put("mail.smtp.ssl.checkserveridentity", Boolean.toString(settings.verify()));
            if (!settings.verify()) {
                p.put("mail.smtp.ssl.trust", "*");
            } else if (settings.caFile() != null) {
                p.put("mail.smtp.ssl.socketFactory", Tls.socketFactory(settings));
            }
            session = Session.getInstance(p);
        }
        return session;
    }

    private boolean credentials() {
        return settings.username() != null && !settings.username().isEmpty() && settings.password() != null;
    }

    private Transport transport() throws MessagingException {
        if (transport != null && transport.isConnected()) {
            return transport;
        }
        closeTransport();
        Transport tr = session().getTransport("smtp");
        if (credentials()) {
            tr.connect(settings.host(), settings.port(), settings.username(), settings.password());
        } else {
            tr.connect(settings.host(), settings.port(), null, null);
        }
        transport = tr;
        return tr;
    }

    private void closeTransport() {
        Transport tr = transport;
        transport = null;
        if (tr != null) {
            try {
                tr.close();
            } catch (MessagingException | RuntimeException e) {
                // best effort: the connection is being dropped anyway
            }
        }
    }

    /** Transient failures are retried; wrong credentials, rejected addresses and TLS trust are not. */
    static boolean retryable(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return false;
        }
        if (e instanceof SMTPSendFailedException f && f.getReturnCode() >= 500) {
            return false;
        }
        if (e instanceof SMTPAddressFailedException f && f.getReturnCode() >= 500) {
            return false;
        }
        if (e instanceof SendFailedException f && f.getInvalidAddresses() != null
                && f.getInvalidAddresses().length > 0) {
            Exception next = f.getNextException();
            if (!(next instanceof SMTPAddressFailedException a) || a.getReturnCode() >= 500) {
                return false;
            }
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("STARTTLS")) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof UnknownHostException) {
                return false;
            }
        }
        return true;
    }

    /** One line: what went wrong and what to do; never the password. */
    String reason(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return "SMTP login failed for user '" + settings.username() + "' (" + scrub(firstLine(e))
                    + "): check config.username and config.password";
        }
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause()
                : t instanceof MessagingException me ? me.getNextException() : null) {
            root = t;
            if (t instanceof UnknownHostException) {
                return "host " + settings.host() + " not found (check config.host and DNS)";
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out: no answer within " + seconds(settings.timeout().toMillis())
                        + " s (options.timeout; is this an SMTP port?)";
            }
            if (t instanceof ConnectException || t instanceof MailConnectException && t.getCause() == null) {
                return "connection refused (is the SMTP server running and config.port right?)";
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return "TLS failed: " + scrub(firstLine(t)) + " (untrusted certificate or host name mismatch: trust "
                        + "the server's CA with options.ca_file, or verify_ssl: false for test systems only)";
            }
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("STARTTLS")) {
            return "SMTP STARTTLS failed: " + scrub(firstLine(e)) + " (use ssl: true for implicit TLS on port 465, "
                    + "or starttls: false only on a trusted network)";
        }
        if (e instanceof SendFailedException f) {
            StringBuilder sb = new StringBuilder(scrub(firstLine(e)));
            Exception next = f.getNextException();
            if (next instanceof SMTPAddressFailedException a) {
                sb.append(": ").append(scrub(firstLine(a)));
            }
            int code = e instanceof SMTPSendFailedException s ? s.getReturnCode()
                    : next instanceof SMTPSendFailedException s2 ? s2.getReturnCode() : -1;
            if (code == 530 || msg.startsWith("530") || msg.toLowerCase(Locale.ROOT).contains("authentication required")) {
                sb.append(" (the server requires authentication: set config.username and config.password)");
            }
            return sb.toString();
        }
        return root.getClass().getSimpleName() + ": " + scrub(firstLine(root));
    }

    private String scrub(String text) {
        String out = text;
        String pw = settings.password();
        if (out != null && pw != null && pw.length() >= 1) {
            out = out.replace(pw, "***");
        }
        return out;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().trim();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    @Override
    public synchronized void close() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(mailLoader);
        try {
            closeTransport();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Trust material for {@code options.ca_file}. */
    static final class Tls {
        private Tls() {
        }

        static javax.net.ssl.SSLSocketFactory socketFactory(MailSettings s) {
            Path ca = s.caFile();
            try (InputStream in = Files.newInputStream(ca)) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                if (i == 0) {
                    throw new ConnectorException("options.ca_file " + ca + " of resource " + s.resource()
                            + " holds no PEM certificate");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx.getSocketFactory();
            } catch (IOException e) {
                throw new ConnectorException("cannot read options.ca_file " + ca + " of resource " + s.resource() + ": "
                        + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new ConnectorException("options.ca_file " + ca + " of resource " + s.resource()
                        + " is not a PEM certificate file: " + e.getMessage(), e);
            }
        }
    }
}
