package io.aetherflow.launch;

/**
 * One line of {@code plugins.lock}.
 *
 * @param symbolicName the bundle symbolic name
 * @param version the bundle version
 * @param sha256 hex SHA-256 of the jar file
 * @param fileName where the jar is: a path relative to the installation home (e.g. {@code bundles/x.jar}),
 *                 or {@code plugin-path:NAME.jar} for a jar in an {@code AETHERFLOW_PLUGIN_PATHS} directory
 * @param signerSha256 hex SHA-256 fingerprint of the signer certificate, or null when unsigned
 */
public record LockedBundle(String symbolicName, String version, String sha256, String fileName,
        String signerSha256) {
}
