package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

class SqliteNativeTest {

    @TempDir
    Path dir;

    @Test
    void aFreshJvmLoadsTheLibraryFromTheCacheNotFromTheTempDirectory() throws Exception {
        Path cache = dir.resolve("cache");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (int round = 0; round < 2; round++) {
            Process p = new ProcessBuilder(StoreChild.command(List.of("-Djava.io.tmpdir=" + tmp), "native",
                    cache.toString(), dir.resolve("s.sqlite").toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            Path expected = cache.resolve("sqlite-" + SQLiteJDBCLoader.getVersion())
                    .resolve(OSInfo.getNativeLibFolderPathForCurrentOS()).resolve("libsqlitejdbc.so");
            assertEquals(expected.toString(), out, "the only mapped sqlite-jdbc library is the cached one");
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(List.of(), s.toList(), "nothing extracted to java.io.tmpdir");
            }
        }
    }

    @Test
    void prepareWritesTheLibraryOnceAndAtomically() throws Exception {
        String oldPath = System.getProperty(SqliteNative.LIB_PATH_PROPERTY);
        String oldName = System.getProperty(SqliteNative.LIB_NAME_PROPERTY);
        System.clearProperty(SqliteNative.LIB_PATH_PROPERTY);
        System.clearProperty(SqliteNative.LIB_NAME_PROPERTY);
        try {
            Path lib = SqliteNative.prepare(dir).orElseThrow();
            String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
            assertEquals(dir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()).resolve(folder)
                    .resolve("libsqlitejdbc.so"), lib);
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                    "/org/sqlite/native/" + folder + "/libsqlitejdbc.so")) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(lib));
            }
            assertEquals(lib.getParent().toString(), System.getProperty(SqliteNative.LIB_PATH_PROPERTY));
            assertEquals("libsqlitejdbc.so", System.getProperty(SqliteNative.LIB_NAME_PROPERTY));
            try (Stream<Path> s = Files.list(lib.getParent())) {
                assertEquals(List.of(lib), s.toList(), "no temp files left");
            }

            // a second prepare in a new JVM (properties unset) reuses the file
            FileTime old = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(lib, old);
            System.clearProperty(SqliteNative.LIB_PATH_PROPERTY);
            SqliteNative.prepare(dir);
            assertEquals(old, Files.getLastModifiedTime(lib), "not rewritten");

            // a truncated file (crash of an older non-atomic writer, disk trouble) is replaced
            Files.write(lib, new byte[] {1, 2, 3});
            System.clearProperty(SqliteNative.LIB_PATH_PROPERTY);
            SqliteNative.prepare(dir);
            assertTrue(Files.size(lib) > 100_000);

            // properties set by the user win
            System.setProperty(SqliteNative.LIB_PATH_PROPERTY, "/opt/custom");
            assertEquals(Path.of("/opt/custom", "libsqlitejdbc.so"), SqliteNative.prepare(dir.resolve("x")).orElseThrow());
            assertTrue(Files.notExists(dir.resolve("x")));
        } finally {
            restore(SqliteNative.LIB_PATH_PROPERTY, oldPath);
            restore(SqliteNative.LIB_NAME_PROPERTY, oldName);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
