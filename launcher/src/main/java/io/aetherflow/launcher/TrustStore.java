package io.aetherflow.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The PKCS#12 trust store of vendor certificates: {@code AETHERFLOW_TRUSTSTORE}, else
 * {@code <home>/conf/truststore.p12}; password from {@code AETHERFLOW_TRUSTSTORE_PASSWORD}, else
 * {@value #DEFAULT_PASSWORD}. It holds certificates only (no private keys): the password protects
 * the file's integrity, file permissions protect it from change. A missing file is an empty store.
 */
public final class TrustStore {

    /** Environment variable naming the trust store file. */
    public static final String LOCATION_VARIABLE = "AETHERFLOW_TRUSTSTORE";
    /** Environment variable holding the trust store password. */
    public static final String PASSWORD_VARIABLE = "AETHERFLOW_TRUSTSTORE_PASSWORD";
    /** The password used when {@value #PASSWORD_VARIABLE} is unset. */
    public static final String DEFAULT_PASSWORD = "aetherflow";

    /**
     * One trusted certificate.
     *
     * @param alias its alias in the store
     * @param certificate the certificate
     * @param sha256 its SHA-256 fingerprint (hex)
     */
    public record Entry(String alias, X509Certificate certificate, String sha256) {
    }

    private final Path file;
    private final char[] password;
    private final KeyStore store;
    private final List<Entry> entries;

    private TrustStore(Path file, char[] password, KeyStore store, List<Entry> entries) {
        this.file = file;
        this.password = password;
        this.store = store;
        this.entries = entries;
    }

    /**
     * @param env the process environment
     * @param home the installation directory
     * @return where the trust store is
     */
    public static Path location(Map<String, String> env, Path home) {
        String v = env.get(LOCATION_VARIABLE);
        return v != null && !v.isBlank() ? Path.of(v).toAbsolutePath() : home.resolve("conf").resolve("truststore.p12");
    }

    /**
     * @param env the process environment
     * @return the trust store password
     */
    public static char[] password(Map<String, String> env) {
        String v = env.get(PASSWORD_VARIABLE);
        return (v == null ? DEFAULT_PASSWORD : v).toCharArray();
    }

    /**
     * Loads the trust store named by the environment.
     *
     * @param env the process environment
     * @param home the installation directory
     * @return the store (empty when the file does not exist)
     * @throws PluginSetException when the file exists but cannot be opened (message names it and says why)
     */
    public static TrustStore load(Map<String, String> env, Path home) throws PluginSetException {
        return load(location(env, home), password(env));
    }

    /**
     * @param file the PKCS#12 file
     * @param password its password
     * @return the store (empty when the file does not exist)
     * @throws PluginSetException when the file exists but cannot be opened
     */
    public static TrustStore load(Path file, char[] password) throws PluginSetException {
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
        } catch (KeyStoreException e) {
            throw new PluginSetException("this Java runtime has no PKCS12 key store support", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (NoSuchFileException e) {
            try {
                ks.load(null, password);
            } catch (IOException | GeneralSecurityException again) {
                throw new PluginSetException("cannot create an empty trust store: " + again.getMessage(), again);
            }
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw new PluginSetException("cannot open trust store " + file + ": "
                    + (wrongPassword ? "wrong password (set " + PASSWORD_VARIABLE + ")" : e.getMessage()), e);
        } catch (GeneralSecurityException e) {
            throw new PluginSetException("cannot open trust store " + file + ": " + e.getMessage(), e);
        }
        List<Entry> list = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    list.add(new Entry(alias, x, JarSignatures.fingerprint(x)));
                }
            }
        } catch (KeyStoreException e) {
            throw new PluginSetException("cannot read trust store " + file + ": " + e.getMessage(), e);
        }
        list.sort((a, b) -> a.alias().compareTo(b.alias()));
        return new TrustStore(file, password, ks, list);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the trusted certificates, sorted by alias */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * @param sha256 a certificate fingerprint (hex)
     * @return true when that certificate is trusted
     */
    public boolean contains(String sha256) {
        for (Entry e : entries) {
            if (e.sha256().equalsIgnoreCase(sha256)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param sha256 a certificate fingerprint
     * @return the entry that holds it, or null
     */
    public Entry find(String sha256) {
        for (Entry e : entries) {
            if (e.sha256().equalsIgnoreCase(sha256)) {
                return e;
            }
        }
        return null;
    }

    /**
     * @param cert a certificate
     * @return a trusted certificate whose subject is the certificate's issuer, or null
     */
    public X509Certificate issuerOf(X509Certificate cert) {
        for (Entry e : entries) {
            if (e.certificate().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                return e.certificate();
            }
        }
        return null;
    }

    /**
     * Adds a certificate (in memory; {@link #save()} writes it).
     *
     * @param alias the alias
     * @param cert the certificate
     * @throws PluginSetException when the alias is taken or the certificate is already trusted
     */
    public void add(String alias, X509Certificate cert) throws PluginSetException {
        String fp = JarSignatures.fingerprint(cert);
        Entry same = find(fp);
        if (same != null) {
            throw new PluginSetException("certificate sha256 " + fp + " is already trusted as '" + same.alias() + "'");
        }
        for (Entry e : entries) {
            if (e.alias().equalsIgnoreCase(alias)) {
                throw new PluginSetException("alias '" + alias + "' is already used in " + file
                        + "; choose another with --alias or remove it first");
            }
        }
        try {
            store.setCertificateEntry(alias, cert);
        } catch (KeyStoreException e) {
            throw new PluginSetException("cannot add '" + alias + "' to " + file + ": " + e.getMessage(), e);
        }
        entries.add(new Entry(alias, cert, fp));
        entries.sort((a, b) -> a.alias().compareTo(b.alias()));
    }

    /**
     * Removes a certificate (in memory; {@link #save()} writes it).
     *
     * @param alias the alias
     * @return the removed entry
     * @throws PluginSetException when there is no such alias
     */
    public Entry remove(String alias) throws PluginSetException {
        for (Entry e : entries) {
            if (e.alias().equalsIgnoreCase(alias)) {
                try {
                    store.deleteEntry(e.alias());
                } catch (KeyStoreException ex) {
                    throw new PluginSetException("cannot remove '" + alias + "' from " + file + ": " + ex.getMessage(), ex);
                }
                entries.remove(e);
                return e;
            }
        }
        throw new PluginSetException("no certificate with alias '" + alias + "' in " + file
                + " (aetherflow trust list shows the aliases)");
    }

    /**
     * Writes the store atomically (temp file in the same directory, then rename), mode 0644.
     *
     * @throws IOException when it cannot be written
     */
    public void save() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot encode trust store: " + e.getMessage(), e);
            }
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
