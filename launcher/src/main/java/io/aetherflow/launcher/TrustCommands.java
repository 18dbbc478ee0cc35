package io.aetherflow.launcher;

import io.aetherflow.launcher.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code aetherflow trust add|list|remove}: the PKCS#12 trust store of plugin vendor certificates
 * ({@link TrustStore}). The command line is parsed by the CLI; these methods get typed arguments.
 */
final class TrustCommands {

    private final CommandContext ctx;

    /** The one-line usage of the trust commands (echoed in their usage errors). */
    static final String USAGE = "usage: aetherflow trust add CERT-FILE [--alias A] | trust list [--json] | trust remove ALIAS";


    /** @param ctx the command's environment, installation, output and clock */
    TrustCommands(CommandContext ctx) {
        this.ctx = ctx;
    }

    /** @return the help text of {@code trust --help} */
    String help() {
        return USAGE + "\nManages the PKCS#12 trust store of plugin vendor certificates ("
                + TrustStore.location(ctx.env(), ctx.inst().home()) + "; AETHERFLOW_TRUSTSTORE, AETHERFLOW_TRUSTSTORE_PASSWORD).";
    }

    /**
     * {@code trust add CERT-FILE [--alias A]}.
     *
     * @param certFile the certificate file (PEM or DER)
     * @param requestedAlias the alias, or null to derive one from the subject's CN
     * @return the exit code
     * @throws UsageException when the file is not one certificate or the alias is malformed
     * @throws PluginSetException when the certificate is not valid now or the store cannot be used
     * @throws IOException when the store cannot be written
     */
    int add(String certFile, String requestedAlias) throws UsageException, PluginSetException, IOException {
        X509Certificate cert = readCertificate(Path.of(certFile));
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new PluginSetException("certificate " + certFile + " ('"
                    + cert.getSubjectX500Principal().getName() + "') is not valid now (valid "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant()
                    + "); nothing was added");
        }
        TrustStore store = TrustStore.load(ctx.env(), ctx.inst().home());
        String alias = requestedAlias;
        if (alias == null) {
            alias = defaultAlias(cert, store);
        } else if (!alias.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new UsageException("trust add: alias '" + alias + "' must be letters, digits, '.', '_' or '-'");
        }
        store.add(alias, cert);
        store.save();
        ctx.out().println("trusted '" + alias + "': " + cert.getSubjectX500Principal().getName() + ", sha256 "
                + JarSignatures.colons(JarSignatures.fingerprint(cert)) + ", valid until "
                + cert.getNotAfter().toInstant() + " (trust store " + store.file() + ")");
        return 0;
    }

    /**
     * {@code trust list [--json]}.
     *
     * @param json true for JSON output
     * @return the exit code
     * @throws PluginSetException when the store cannot be opened
     */
    int list(boolean json) throws PluginSetException {
        TrustStore store = TrustStore.load(ctx.env(), ctx.inst().home());
        if (json) {
            List<Object> list = new ArrayList<>();
            for (TrustStore.Entry e : store.entries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("alias", e.alias());
                m.put("subject", e.certificate().getSubjectX500Principal().getName());
                m.put("sha256", e.sha256());
                m.put("not_before", e.certificate().getNotBefore().toInstant().toString());
                m.put("not_after", e.certificate().getNotAfter().toInstant().toString());
                m.put("valid", validNow(e.certificate()));
                list.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trust_store", store.file().toString());
            m.put("certificates", list);
            ctx.out().println(Json.writeSpaced(m));
            return 0;
        }
        ctx.out().println("Trust store: " + store.file() + (Files.exists(store.file()) ? "" : " (does not exist yet)"));
        if (store.entries().isEmpty()) {
            ctx.out().println("no trusted certificates (aetherflow trust add CERT-FILE)");
            return 0;
        }
        int w = 5;
        for (TrustStore.Entry e : store.entries()) {
            w = Math.max(w, e.alias().length());
        }
        String row = "%-" + w + "s  %-20s  %-8s  %-64s  %s%n";
        ctx.out().printf(row, "ALIAS", "VALID UNTIL", "STATUS", "SHA256", "SUBJECT");
        for (TrustStore.Entry e : store.entries()) {
            ctx.out().printf(row, e.alias(), e.certificate().getNotAfter().toInstant(),
                    validNow(e.certificate()) ? "valid" : "invalid", e.sha256(),
                    e.certificate().getSubjectX500Principal().getName());
        }
        return 0;
    }

    /**
     * {@code trust remove ALIAS}.
     *
     * @param alias the alias
     * @return the exit code
     * @throws PluginSetException when there is no such alias or the store cannot be opened
     * @throws IOException when the store cannot be written
     */
    int remove(String alias) throws PluginSetException, IOException {
        TrustStore store = TrustStore.load(ctx.env(), ctx.inst().home());
        TrustStore.Entry e = store.remove(alias);
        store.save();
        ctx.out().println("removed '" + e.alias() + "' (" + e.certificate().getSubjectX500Principal().getName()
                + ", sha256 " + e.sha256() + ") from " + store.file()
                + "; plugins it signed are now untrusted (aetherflow plugins verify)");
        return 0;
    }

    private boolean validNow(X509Certificate c) {
        return !ctx.now().isBefore(c.getNotBefore().toInstant()) && !ctx.now().isAfter(c.getNotAfter().toInstant());
    }

    private static X509Certificate readCertificate(Path file) throws UsageException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UsageException("trust add: cannot read " + file + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new UsageException("trust add: " + file + " is not an X.509 certificate (PEM or DER): " + e.getMessage());
        }
        if (certs.size() != 1 || !(certs.iterator().next() instanceof X509Certificate)) {
            throw new UsageException("trust add: " + file + " holds " + certs.size() + " certificates; give one"
                    + " certificate per file (the vendor's signing certificate or its CA)");
        }
        return (X509Certificate) certs.iterator().next();
    }

    private static String defaultAlias(X509Certificate cert, TrustStore store) {
        String dn = cert.getSubjectX500Principal().getName();
        String base = "vendor";
        for (String part : dn.split(",")) {
            if (part.strip().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                base = part.strip().substring(3);
                break;
            }
        }
        base = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "vendor";
        }
        String alias = base;
        Set<String> taken = new HashSet<>();
        for (TrustStore.Entry e : store.entries()) {
            taken.add(e.alias().toLowerCase(Locale.ROOT));
        }
        for (int i = 2; taken.contains(alias); i++) {
            alias = base + "-" + i;
        }
        return alias;
    }
}
