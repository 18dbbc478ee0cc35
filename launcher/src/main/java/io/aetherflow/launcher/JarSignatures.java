package io.aetherflow.launcher;

import io.aetherflow.launch.TrustStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Verifies jarsigner signatures of bundle jars (Felix does not): opens the jar with
 * {@code new JarFile(file, true)}, reads every entry to the end (which checks each entry's digest
 * against the signed manifest), requires every entry other than the signature files themselves to
 * be signed by the same signer(s), then follows the signer's certificate chain to a certificate of
 * the {@link TrustStore} and checks the validity of every certificate on the way.
 *
 * <p>No time-stamp authority is honoured: a signature made with a certificate that has expired since
 * is reported {@link TrustStatus#EXPIRED}. Revocation is not checked (there is no network at
 * start-up); remove a revoked vendor certificate from the trust store instead.
 */
public final class JarSignatures {

    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private JarSignatures() {
    }

    /** The signers that signed every entry: one certificate chain (leaf first) per signer. */
    private record Signers(List<List<X509Certificate>> chains) {
    }

    /**
     * @param name a jar entry name
     * @return true for the manifest and the signature block/file entries that jarsigner writes
     */
    static boolean isSignatureEntry(String name) {
        String u = name.toUpperCase(Locale.ROOT);
        if (!u.startsWith("META-INF/") || u.indexOf('/', 9) >= 0) {
            return false;
        }
        String f = u.substring(9);
        return f.equals("MANIFEST.MF") || f.startsWith("SIG-") || f.endsWith(".SF") || f.endsWith(".RSA")
                || f.endsWith(".DSA") || f.endsWith(".EC");
    }

    /**
     * Checks a jar's signature against a trust store.
     *
     * @param jar the jar file
     * @param trust the trusted certificates (may be empty)
     * @param now the time of the check
     * @return the verdict
     * @throws IOException when the file cannot be read or is not a zip file
     */
    public static TrustVerdict verify(Path jar, TrustStore trust, Instant now) throws IOException {
        Signers signers;
        try {
            signers = signers(jar);
        } catch (SecurityException e) {
            return tampered("the signature does not match the content: " + oneLine(e.getMessage()));
        } catch (TamperedException e) {
            return tampered(e.getMessage());
        }
        if (signers == null) {
            return new TrustVerdict(TrustStatus.UNSIGNED, null, null, 0, Long.MAX_VALUE, "not signed");
        }
        TrustVerdict first = null;
        for (List<X509Certificate> chain : signers.chains()) {
            TrustVerdict v = evaluate(chain, trust).at(now);
            if (v.status() == TrustStatus.TRUSTED) {
                return v;
            }
            if (first == null || (first.status() == TrustStatus.UNTRUSTED
                    && v.status() != TrustStatus.UNTRUSTED)) {
                first = v;
            }
        }
        return first;
    }

    private static TrustVerdict tampered(String detail) {
        return new TrustVerdict(TrustStatus.TAMPERED, null, null, 0, Long.MAX_VALUE, detail);
    }

    private static final class TamperedException extends Exception {
        private static final long serialVersionUID = 1L;

        TamperedException(String message) {
            super(message);
        }
    }

    /** @return the signers of every entry, or null when no entry is signed */
    private static Signers signers(Path jar) throws IOException, TamperedException {
        byte[] buf = new byte[1 << 14];
        String firstSigned = null;
        String firstUnsigned = null;
        Map<String, List<X509Certificate>> signerSet = null;
        java.util.Set<String> present = new java.util.HashSet<>();
        java.util.Set<String> digested;
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            java.util.jar.Manifest mf = jf.getManifest();
            digested = new java.util.HashSet<>();
            if (mf != null) {
                // only sections with a digest name signed content; others (package metadata) may name directories
                for (Map.Entry<String, java.util.jar.Attributes> section : mf.getEntries().entrySet()) {
                    for (Object key : section.getValue().keySet()) {
                        if (key.toString().toUpperCase(Locale.ROOT).endsWith("-DIGEST")) {
                            digested.add(section.getKey());
                            break;
                        }
                    }
                }
            }
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                present.add(e.getName());
                // reading to the end is what makes JarFile check the entry's digest
                try (InputStream in = jf.getInputStream(e)) {
                    while (in.read(buf) >= 0) {
                        // drain
                    }
                }
                if (e.isDirectory() || isSignatureEntry(e.getName())) {
                    continue;
                }
                CodeSigner[] cs = e.getCodeSigners();
                if (cs == null || cs.length == 0) {
                    if (firstUnsigned == null) {
                        firstUnsigned = e.getName();
                    }
                    continue;
                }
                Map<String, List<X509Certificate>> set = new LinkedHashMap<>();
                for (CodeSigner s : cs) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : s.getSignerCertPath().getCertificates()) {
                        if (c instanceof X509Certificate x) {
                            chain.add(x);
                        }
                    }
                    if (!chain.isEmpty()) {
                        set.put(fingerprint(chain.get(0)), chain);
                    }
                }
                if (signerSet == null) {
                    signerSet = set;
                    firstSigned = e.getName();
                } else if (!signerSet.keySet().equals(set.keySet())) {
                    throw new TamperedException("entry " + e.getName() + " is signed by other signers than "
                            + firstSigned);
                }
            }
        }
        if (signerSet == null) {
            return null;
        }
        if (firstUnsigned != null) {
            throw new TamperedException("entry " + firstUnsigned + " is not covered by the signature (added or"
                    + " changed after signing)");
        }
        for (String name : digested) {
            if (!present.contains(name)) {
                throw new TamperedException("entry " + name + " is in the signed manifest but missing from the jar"
                        + " (removed after signing)");
            }
        }
        return new Signers(new ArrayList<>(signerSet.values()));
    }

    /** Follows one signer's chain to the trust store; the verdict is TRUSTED (with its window) or UNTRUSTED. */
    static TrustVerdict evaluate(List<X509Certificate> chain, TrustStore trust) {
        X509Certificate leaf = chain.get(0);
        String fp = fingerprint(leaf);
        String subject = leaf.getSubjectX500Principal().getName();
        String usage = usageProblem(leaf);
        if (usage != null) {
            return new TrustVerdict(TrustStatus.UNTRUSTED, fp, subject, 0, Long.MAX_VALUE,
                    "certificate '" + subject + "' " + usage);
        }
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate cur = leaf;
        boolean anchored = false;
        for (int i = 0; i <= chain.size(); i++) {
            path.add(cur);
            if (trust.contains(fingerprint(cur))) {
                anchored = true;
                break;
            }
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (issuer == null || !isCa(issuer) || !signedBy(cur, issuer)) {
                issuer = trust.issuerOf(cur);
                if (issuer != null && !(isCa(issuer) && signedBy(cur, issuer))) {
                    issuer = null;
                }
                if (issuer != null) {
                    path.add(issuer);
                    anchored = true;
                }
                break;
            }
            cur = issuer;
        }
        if (!anchored) {
            return new TrustVerdict(TrustStatus.UNTRUSTED, fp, subject, 0, Long.MAX_VALUE,
                    "signed by '" + subject + "' (sha256 " + fp + "), which does not chain to a trusted certificate");
        }
        long notBefore = Long.MIN_VALUE;
        long notAfter = Long.MAX_VALUE;
        for (X509Certificate c : path) {
            notBefore = Math.max(notBefore, c.getNotBefore().getTime());
            notAfter = Math.min(notAfter, c.getNotAfter().getTime());
        }
        return new TrustVerdict(TrustStatus.TRUSTED, fp, subject, notBefore, notAfter,
                "signed by trusted certificate '" + subject + "'");
    }

    private static String usageProblem(X509Certificate leaf) {
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && ku.length > 0 && !ku[0]) {
            return "is not allowed to sign (key usage lacks digitalSignature)";
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CODE_SIGNING) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
                return "is not a code-signing certificate (extended key usage " + eku + ")";
            }
        } catch (CertificateParsingException e) {
            return "has an unreadable extended key usage";
        }
        return null;
    }

    private static boolean isCa(X509Certificate c) {
        return c.getBasicConstraints() >= 0;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param cert a certificate
     * @return the SHA-256 of its DER encoding as lower-case hex (what {@code keytool -list -v} shows, without colons)
     */
    public static String fingerprint(X509Certificate cert) {
        try {
            return Sha256.hex(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * @param hex a fingerprint
     * @return it with colons every two digits, upper case (as keytool prints it)
     */
    public static String colons(String hex) {
        String h = HexFormat.of().withUpperCase().formatHex(HexFormat.of().parseHex(hex));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(h, i, i + 2);
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
