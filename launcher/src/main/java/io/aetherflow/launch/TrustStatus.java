package io.aetherflow.launch;

import java.util.Locale;

/** The signature verdict of one bundle, as the launcher judged it before installing anything. */
public enum TrustStatus {
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
    public static TrustStatus ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
