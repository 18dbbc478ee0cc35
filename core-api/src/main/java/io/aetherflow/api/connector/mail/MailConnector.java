package io.aetherflow.api.connector.mail;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A mail sender bound to one {@code mail} resource. The resource configures the server and the
 * policy: {@code config.host}, {@code config.port}, {@code config.username}/{@code config.password},
 * {@code config.starttls} or {@code config.ssl} (implicit TLS), {@code config.from_addr} (default
 * sender), {@code options.timeout}/{@code options.connect_timeout}, {@code options.verify_ssl}/
 * {@code options.ca_file} and {@code options.retry.max_attempts} (total attempts) with
 * {@code retry.backoff}/{@code retry.backoff_max}.
 *
 * <p>Implementations are thread-safe and connect lazily. Bcc recipients receive the message but never
 * appear in its headers. Error messages never contain the password.
 */
@ProviderType
public interface MailConnector extends Connector {

    /**
     * Sends one message, retrying per the resource's retry options on transient failures
     * (connection problems, timeouts, 4xx replies); authentication failures and rejected addresses
     * are not retried.
     *
     * @param message the message; never null
     * @return what was sent; never null
     * @throws ConnectorException when the message is invalid (no recipient, no sender, bad address,
     *         unreadable attachment) or could not be sent after all attempts; the message names the
     *         server and the reason, never the password
     * @throws InterruptedException when the thread is interrupted while waiting between attempts
     */
    MailReceipt send(MailMessage message) throws InterruptedException;
}
