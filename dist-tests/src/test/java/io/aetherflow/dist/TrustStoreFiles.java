package io.aetherflow.dist;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** Writes a certificate into an installation's PKCS#12 trust store directly (default password). */
final class TrustStoreFiles {

    private TrustStoreFiles() {
    }

    static void add(Path store, Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] pw = "aetherflow".toCharArray();
        if (Files.exists(store)) {
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, pw);
            }
        } else {
            ks.load(null, pw);
        }
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry(pem.getFileName().toString(), CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Files.createDirectories(store.getParent());
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, pw);
        }
    }
}
