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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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

    /** A musl image sharing the cache (and the java.home path) with a glibc one gets its own record key. */
    @Test
    void theRecordKeyTellsMuslFromGlibc() throws Exception {
        Path glibc = Files.createDirectories(dir.resolve("glibc-lib"));
        Files.writeString(glibc.resolve("ld-linux-x86-64.so.2"), "");
        Path musl = Files.createDirectories(dir.resolve("musl-lib"));
        Files.writeString(musl.resolve("ld-musl-x86_64.so.1"), "");
        assertEquals("libc", SqliteNative.libc(glibc));
        assertEquals("musl", SqliteNative.libc(musl));
        assertEquals("libc", SqliteNative.libc(dir.resolve("absent")));
        assertTrue(SqliteNative.platformKey("libsqlitejdbc.so").contains("|" + SqliteNative.libc(Path.of("/lib")) + "|"));
    }

    @Test
    void theProbeOfSqliteJdbcRunsOnceThenTheRecordAnswers() throws Exception {
        String oldPath = System.getProperty(SqliteNative.LIB_PATH_PROPERTY);
        String oldName = System.getProperty(SqliteNative.LIB_NAME_PROPERTY);
        AtomicInteger probes = new AtomicInteger();
        Supplier<String> probe = () -> {
            probes.incrementAndGet();
            return OSInfo.getNativeLibFolderPathForCurrentOS();
        };
        Path record = dir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()).resolve(SqliteNative.PLATFORM_FILE);
        try {
            clear();
            Path lib = SqliteNative.prepare(dir, probe).orElseThrow();
            assertEquals(1, probes.get());
            assertTrue(Files.isRegularFile(record), "the probe's answer is recorded");

            // the next launch (properties unset) is answered by the record: no uname forks, no /proc listing
            clear();
            assertEquals(lib, SqliteNative.prepare(dir, probe).orElseThrow());
            assertEquals(1, probes.get(), "answered from the record");
            assertEquals(lib.getParent().toString(), System.getProperty(SqliteNative.LIB_PATH_PROPERTY));
            assertEquals("libsqlitejdbc.so", System.getProperty(SqliteNative.LIB_NAME_PROPERTY));

            // a library changed since (size differs) is probed and extracted again
            Files.write(lib, new byte[] {1, 2, 3});
            clear();
            assertEquals(lib, SqliteNative.prepare(dir, probe).orElseThrow());
            assertEquals(2, probes.get());
            assertTrue(Files.size(lib) > 100_000);

            // a record written by another JDK or machine type is not trusted
            List<String> lines = Files.readAllLines(record);
            Files.write(record, List.of("other|jvm", lines.get(1), lines.get(2)));
            clear();
            SqliteNative.prepare(dir, probe);
            assertEquals(3, probes.get());

            // nor one naming a file outside the cache
            Files.write(record, List.of(lines.get(0), "../../etc/passwd", lines.get(2)));
            clear();
            assertEquals(lib, SqliteNative.prepare(dir, probe).orElseThrow());
            assertEquals(4, probes.get());
            assertEquals(lines, Files.readAllLines(record), "rewritten");
        } finally {
            restore(SqliteNative.LIB_PATH_PROPERTY, oldPath);
            restore(SqliteNative.LIB_NAME_PROPERTY, oldName);
        }
    }

    private static void clear() {
        System.clearProperty(SqliteNative.LIB_PATH_PROPERTY);
        System.clearProperty(SqliteNative.LIB_NAME_PROPERTY);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
