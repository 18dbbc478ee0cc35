package io.aetherflow.launcher;

import java.time.Instant;
import java.util.Locale;

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
public record TrustVerdict(Status status, String signerSha256, String signerSubject, long notBefore, long notAfter,
        String detail) {

    /** The possible verdicts. */
    public enum Status {
        /** Part of the core distribution ({@code conf/core-bundles}): pinned by sha256, not signature-checked. */
        CORE,
        /** Every entry signed by one signer whose chain leads to a trusted, currently valid certificate. */
        TRUSTED,
        /** No entry is signed. */
        UNSIGNED,
        /** Correctly signed, but by a certificate that does not chain to the trust store. */
        UNTRUSTED,
        /** Signed by a trusted chain of which a certificate has expired. */
        EXPIRED,
        /** Signed by a trusted chain of which a certificate is not valid yet. */
        NOT_YET_VALID,
        /** A signed jar whose content does not match its signature (changed, added or unsigned entries). */
        TAMPERED;

        /** @return the lower-case name used in output ({@code not-yet-valid} for {@link #NOT_YET_VALID}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * @param label a {@link #label()}
         * @return the status
         * @throws IllegalArgumentException for an unknown label
         */
        public static Status ofLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** @return the verdict of a core bundle */
    public static TrustVerdict core() {
        return new TrustVerdict(Status.CORE, null, null, 0, Long.MAX_VALUE, "part of the core distribution");
    }

    /**
     * Re-evaluates a trusted verdict's validity window at a point in time (a cached verdict may have
     * been computed while the certificate was still valid).
     *
     * @param now the time of the check
     * @return this verdict, or an {@link Status#EXPIRED} / {@link Status#NOT_YET_VALID} one
     */
    public TrustVerdict at(Instant now) {
        if (status != Status.TRUSTED && status != Status.EXPIRED && status != Status.NOT_YET_VALID) {
            return this;
        }
        long t = now.toEpochMilli();
        Status s = t > notAfter ? Status.EXPIRED : t < notBefore ? Status.NOT_YET_VALID : Status.TRUSTED;
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
        return signerSha256 != null && status != Status.TAMPERED;
    }
}
