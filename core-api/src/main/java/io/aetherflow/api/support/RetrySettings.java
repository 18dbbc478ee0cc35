package io.aetherflow.api.support;

import java.time.Duration;
import java.util.List;

/**
 * A connector's retry settings (see {@link ConfigValues#retry}).
 *
 * @param attempts the configured count (what it counts, retries after the first attempt or all
 *        attempts, is the connector's documented choice)
 * @param backoff first wait
 * @param backoffMax longest wait
 * @param statuses status codes answered by a retry (empty where the connector has none)
 */
public record RetrySettings(int attempts, Duration backoff, Duration backoffMax, List<Integer> statuses) {

    /**
     * @param attempt the attempt that just failed, counting from 1
     * @return the wait before the next attempt: {@code backoff}, doubling, at most {@code backoffMax}
     */
    public Duration waitAfter(int attempt) {
        long ms = backoff.toMillis();
        for (int i = 1; i < attempt && ms < backoffMax.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }
}
