package io.aetherflow.launch;

/** The signing mode in force for a launch (docs/signing-and-trust.md). */
public enum TrustMode {
    /** Every plugin must be signed by a trusted, currently valid certificate. */
    ENTERPRISE,
    /** Unsigned plugins load (with their verdict shown); tampered or expired ones are still refused. */
    INTERNAL_FAST;

    /** @return the name used in output and configuration: {@code enterprise} or {@code internal_fast} */
    public String label() {
        return this == ENTERPRISE ? "enterprise" : "internal_fast";
    }
}
