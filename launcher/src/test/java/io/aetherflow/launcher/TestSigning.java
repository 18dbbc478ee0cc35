package io.aetherflow.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Real keys, certificates and signatures for tests: the JDK's keytool and jarsigner, run as processes. */
final class TestSigning {

    static final String STORE_PASSWORD = "test-secret";

    private TestSigning() {
    }

    private static Path tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name);
    }

    static String exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /**
     * A key pair and self-signed certificate in a PKCS#12 key store, plus the certificate in PEM.
     *
     * @param dir where {@code NAME.p12} and {@code NAME.pem} go
     * @param name alias and CN
     * @param startDate keytool -startdate value, or null for now
     * @param validityDays validity in days
     * @return the key store
     */
    static Path key(Path dir, String name, String startDate, int validityDays) throws IOException, InterruptedException {
        Path ks = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(tool("keytool").toString(), "-genkeypair", "-alias", name,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + ", O=Test Vendor",
                "-validity", String.valueOf(validityDays), "-keystore", ks.toString(), "-storepass", STORE_PASSWORD,
                "-storetype", "PKCS12"));
        if (startDate != null) {
            cmd.add("-startdate");
            cmd.add(startDate);
        }
        exec(cmd.toArray(String[]::new));
        exec(tool("keytool").toString(), "-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(),
                "-storepass", STORE_PASSWORD, "-file", dir.resolve(name + ".pem").toString());
        return ks;
    }

    /** Signs a jar in place with jarsigner. */
    static Path sign(Path jar, Path keyStore, String alias) throws IOException, InterruptedException {
        exec(tool("jarsigner").toString(), "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                jar.toString(), alias);
        return jar;
    }

    /** Rewrites a jar with one entry's bytes replaced, everything else (signature files too) unchanged. */
    static Path tamper(Path jar, String entry, byte[] content) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean found = false;
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zin = new ZipInputStream(in);
                ZipOutputStream zout = new ZipOutputStream(buf)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null;) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(entry)) {
                    zout.write(content);
                    found = true;
                } else {
                    zin.transferTo(zout);
                }
                zout.closeEntry();
            }
        }
        if (!found) {
            throw new IOException("no entry " + entry + " in " + jar);
        }
        try (OutputStream out = Files.newOutputStream(jar)) {
            buf.writeTo(out);
        }
        return jar;
    }
}
