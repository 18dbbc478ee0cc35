package io.aetherflow.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds real bundle jars for tests. */
final class TestBundles {

    private TestBundles() {
    }

    /**
     * @param file the jar to write
     * @param headers manifest headers (Bundle-ManifestVersion 2 is added)
     * @param classes classes to copy into the jar (from the test class path)
     * @return the file
     */
    static Path jar(Path file, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        headers.forEach(a::putValue);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Class<?> c : classes) {
                String name = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return file;
    }

    /** A bundle with a symbolic name and version and extra headers. */
    static Path bundle(Path file, String bsn, String version, String... headerPairs) throws IOException {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", version);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            h.put(headerPairs[i], headerPairs[i + 1]);
        }
        return jar(file, h);
    }
}
