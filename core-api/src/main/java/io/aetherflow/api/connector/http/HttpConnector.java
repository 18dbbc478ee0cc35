package io.aetherflow.api.connector.http;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An HTTP(S) client bound to one {@code rest} resource. The resource configures everything that is
 * not per request:
 * <ul>
 * <li>{@code config.base_url}: prefix of relative targets (a trailing {@code /} is ignored);</li>
 * <li>{@code config.headers}: headers sent with every request;</li>
 * <li>{@code config.bearer_token}: sent as {@code Authorization: Bearer <token>} unless a request or
 * the configured headers set {@code Authorization} themselves;</li>
 * <li>{@code options.timeout} (seconds, default 30; alias {@code timeouts.total}) and
 * {@code options.connect_timeout} (alias {@code timeouts.connect});</li>
 * <li>{@code options.verify_ssl} (default true; {@code false} disables certificate and host name
 * checks; a string names a PEM CA file to trust instead of the JDK's trust store);</li>
 * <li>{@code options.retry.max_attempts} (extra attempts, default 0; alias {@code retries}),
 * {@code retry.backoff}/{@code retry.backoff_max} (seconds) and {@code retry.statuses} (status codes
 * answered by a retry, default 429, 502, 503, 504).</li>
 * </ul>
 * Implementations are thread-safe and connect lazily; a status code is never an error by itself.
 */
@ProviderType
public interface HttpConnector extends Connector {

    /**
     * Sends one request, retrying per the resource's retry options on transport errors and on the
     * configured status codes (with exponential backoff, honouring {@code Retry-After}). When the
     * retries end on a retryable status, that last reply is returned.
     *
     * @param call the request; never null
     * @return the reply of the last attempt; never null
     * @throws ConnectorException when no reply was received (connection refused, timeout, TLS
     *         failure) after all attempts, when the body exceeds {@link HttpCall#maxBodyBytes()}, or
     *         when the call is invalid (relative target without {@code base_url}, forbidden header);
     *         the message names method and URL without query string and never contains secrets
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    HttpReply request(HttpCall call) throws InterruptedException;
}
