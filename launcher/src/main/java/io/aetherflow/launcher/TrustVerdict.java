package io.aetherflow.launcher;

import io.aetherflow.launch.TrustStatus;
import java.time.Instant;

/**
 * What the signature check found out about one bundle jar.
 *
 * @param status the verdict
 * @param signerSha256 SHA-256 fingerprint (hex) of the signer's certificate, or null when unsigned
 * @param signerSubject the signer certificate's subject, or null when unsigned
 * @param notBefore epoch millis from which every certificate of the trusted chain is valid (0 when not applicable)
 * @param notAfter epoch millis until which every certificate of the trusted chain is valid ({@link Long#MAX_VALUE}
 *     when not applicable)
 * @param detail one line that explains the verdict (never null)
 */
public record TrustVerdict(TrustStatus status, String signerSha256, String signerSubject, long notBefore, long notAfter,
        String detail) {


    /** @return the verdict of a core bundle */
    public static TrustVerdict core() {
        return new TrustVerdict(TrustStatus.CORE, null, null, 0, Long.MAX_VALUE, "part of the core distribution");
    }

    /**
     * Re-evaluates a trusted verdict's validity window at a point in time (a cached verdict may have
     * been computed while the certificate was still valid).
     *
     * @param now the time of the check
     * @return this verdict, or an {@link TrustStatus#EXPIRED} / {@link TrustStatus#NOT_YET_VALID} one
     */
    public TrustVerdict at(Instant now) {
        if (status != TrustStatus.TRUSTED && status != TrustStatus.EXPIRED && status != TrustStatus.NOT_YET_VALID) {
            return this;
        }
        long t = now.toEpochMilli();
        TrustStatus s = t > notAfter ? TrustStatus.EXPIRED : t < notBefore ? TrustStatus.NOT_YET_VALID : TrustStatus.TRUSTED;
        if (s == status) {
            return this;
        }
        String d = switch (s) {
            case EXPIRED -> "signing certificate '" + signerSubject + "' (or its chain) expired on " + Instant.ofEpochMilli(notAfter);
            case NOT_YET_VALID -> "signing certificate '" + signerSubject + "' (or its chain) is not valid before "
                    + Instant.ofEpochMilli(notBefore);
            default -> "signed by trusted certificate '" + signerSubject + "'";
        };
        return new TrustVerdict(s, signerSha256, signerSubject, notBefore, notAfter, d);
    }

    /** @return true when the jar carries an intact signature (whatever the trust) */
    public boolean signed() {
        return signerSha256 != null && status != TrustStatus.TAMPERED;
    }
}
