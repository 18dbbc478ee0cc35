package io.aetherflow.launch;

/**
 * The launcher's signature verdict for one locked bundle.
 *
 * @param symbolicName the bundle symbolic name
 * @param version the bundle version
 * @param status the verdict
 * @param signerSha256 hex SHA-256 fingerprint of the signer certificate, or null when unsigned
 * @param signerSubject the signer certificate's subject, or null when unsigned
 */
public record BundleTrust(String symbolicName, String version, TrustStatus status, String signerSha256,
        String signerSubject) {
}
