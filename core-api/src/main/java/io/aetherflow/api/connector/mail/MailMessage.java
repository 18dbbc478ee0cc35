package io.aetherflow.api.connector.mail;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message to send. Address entries are RFC 822 addresses ({@code a@example.org} or
 * {@code "Name" <a@example.org>}); an entry may hold several comma-separated addresses.
 *
 * @param from the sender, or null for the resource's {@code from_addr}
 * @param to primary recipients (header {@code To})
 * @param cc copy recipients (header {@code Cc})
 * @param bcc blind copy recipients: in the envelope only, never in a header
 * @param subject the subject; never null (may be empty)
 * @param text the plain-text body, or null
 * @param html the HTML body, or null; with {@code text} too the message is multipart/alternative
 * @param attachments files attached under their file names (already resolved by the caller)
 * @param headers extra headers (e.g. {@code Reply-To}, {@code X-Run-Id}); {@code Bcc} is refused
 */
public record MailMessage(String from, List<String> to, List<String> cc, List<String> bcc, String subject,
        String text, String html, List<Path> attachments, Map<String, String> headers) {

    /** Canonical constructor: copies the lists and maps; nulls become empty. */
    public MailMessage {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        subject = Objects.requireNonNull(subject, "subject");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * A plain-text message from the resource's default sender.
     *
     * @param to recipients
     * @param subject subject
     * @param text body
     * @return the message
     */
    public static MailMessage plain(List<String> to, String subject, String text) {
        return new MailMessage(null, to, null, null, subject, text, null, null, null);
    }

    @Override
    public String toString() {
        // bodies may be large or confidential; Bcc addresses are private
        return "MailMessage[from=" + from + " to=" + to + " cc=" + cc + " bcc=" + bcc.size() + " recipient(s) subject="
                + subject + " text=" + (text == null ? "none" : text.length() + " chars") + " html="
                + (html == null ? "none" : html.length() + " chars") + " attachments=" + attachments.size()
                + " headers=" + headers.keySet() + "]";
    }
}
