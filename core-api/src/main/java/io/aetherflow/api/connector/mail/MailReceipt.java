package io.aetherflow.api.connector.mail;

import java.util.Objects;

/**
 * The outcome of {@link MailConnector#send(MailMessage)}.
 *
 * @param messageId the {@code Message-ID} header of the sent message
 * @param from the sender address used (the message's, else the resource's default)
 * @param recipients number of envelope recipients (to + cc + bcc)
 * @param attempts how many attempts were made (1 without retries)
 */
public record MailReceipt(String messageId, String from, int recipients, int attempts) {

    /** Canonical constructor: checks the fields. */
    public MailReceipt {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
    }
}
