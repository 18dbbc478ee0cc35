package io.aetherflow.dist;

import io.aetherflow.dist.plugin.VersionStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A vendor's tools for the black-box tests: keytool, jarsigner, and a real DS plugin bundle. */
final class Signing {

    static final String PASSWORD = "vendor-secret";
    static final String STEP_CLASS = VersionStep.class.getName().replace('.', '/') + ".class";

    private Signing() {
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
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

    /** Key pair + self-signed certificate in DIR/NAME.p12, certificate in DIR/NAME.pem. */
    static Path key(Path dir, String name, String startDate, int days) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(tool("keytool"), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name + ", O=Acme Plugins", "-validity",
                String.valueOf(days), "-keystore", ks.toString(), "-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (startDate != null) {
            cmd.add("-startdate");
            cmd.add(startDate);
        }
        exec(cmd.toArray(String[]::new));
        exec(tool("keytool"), "-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(), "-storepass",
                PASSWORD, "-file", dir.resolve(name + ".pem").toString());
        return ks;
    }

    static Path sign(Path jar, Path keyStore, String alias) throws Exception {
        exec(tool("jarsigner"), "-keystore", keyStore.toString(), "-storepass", PASSWORD, jar.toString(), alias);
        return jar;
    }

    /** The plugin bundle com.acme.versioned VERSION: a DS component providing step type acme.version. */
    static Path plugin(Path file, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.acme.versioned");
        a.putValue("Bundle-Version", version);
        a.putValue("Import-Package", "io.aetherflow.api.step;version=\"[1.0,2)\"");
        a.putValue("Service-Component", "OSGI-INF/acme.version.xml");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"acme.version\">\n"
                + "  <implementation class=\"" + VersionStep.class.getName() + "\"/>\n"
                + "  <service><provide interface=\"io.aetherflow.api.step.Step\"/></service>\n"
                + "  <property name=\"aetherflow.step.type\" value=\"acme.version\"/>\n"
                + "</scr:component>\n";
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/acme.version.xml"));
            jar.write(xml.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry(STEP_CLASS));
            try (InputStream in = VersionStep.class.getClassLoader().getResourceAsStream(STEP_CLASS)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return file;
    }

    /** Replaces one entry's bytes, keeping everything else (the signature files too). */
    static Path tamper(Path jar, String entry, byte[] content) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zin = new ZipInputStream(in);
                ZipOutputStream zout = new ZipOutputStream(buf)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null;) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(entry)) {
                    zout.write(content);
                } else {
                    zin.transferTo(zout);
                }
                zout.closeEntry();
            }
        }
        Files.write(jar, buf.toByteArray());
        return jar;
    }
}
