package io.aetherflow.api.support;

import java.nio.file.Path;

/**
 * How a connector checks the server's certificate (see {@link ConfigValues#tls()}).
 *
 * @param verify check the certificate chain and host name
 * @param caFile a PEM CA file to trust besides the system's, or null
 */
public record TlsSettings(boolean verify, Path caFile) {
}
