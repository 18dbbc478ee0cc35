package io.aetherflow.connectors.http;

import io.aetherflow.api.connector.ConnectorException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS contexts for the three verification modes: JDK default, a PEM CA file, or no verification. */
final class Tls {

    private Tls() {
    }

    /**
     * @return the context to use, or null for the JDK default
     */
    static SSLContext context(HttpSettings s) {
        try {
            if (!s.verify()) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
                return ctx;
            }
            if (s.caFile() == null) {
                return null;
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(s.caFile())) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new ConnectorException("options.ca_file of resource " + s.resource() + ": no certificate in "
                        + s.caFile() + " (expected PEM or DER X.509 certificates)");
            }
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new ConnectorException("options.ca_file of resource " + s.resource() + ": cannot read " + s.caFile()
                    + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConnectorException("options.ca_file of resource " + s.resource() + ": unusable certificates in "
                    + s.caFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Accepts every certificate and host name ({@code verify_ssl: false}). Being an extended trust
     * manager, JSSE does not add its own host name check around it.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
