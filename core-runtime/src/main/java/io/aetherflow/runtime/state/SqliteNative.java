package io.aetherflow.runtime.state;

import io.aetherflow.api.support.FileTrees;
import io.aetherflow.runtime.ReplaceFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * Pre-extracts sqlite-jdbc's native library once into a cache directory, so runs do not copy a
 * megabyte into {@code java.io.tmpdir} on every start (sqlite-jdbc's default).
 *
 * <p>The library is read as a resource through sqlite-jdbc's own class loader, so this works on a
 * plain class path and inside OSGi (where the resource is private to the sqlite-jdbc bundle).
 */
public final class SqliteNative {

    /** System property sqlite-jdbc reads for the library's directory. */
    public static final String LIB_PATH_PROPERTY = "org.sqlite.lib.path";
    /** System property sqlite-jdbc reads for the library's file name. */
    public static final String LIB_NAME_PROPERTY = "org.sqlite.lib.name";

    /**
     * The record of the platform probe's answer, in {@code <cacheDir>/sqlite-<version>/}: the key of
     * the JVM it was made in, the library's path below that directory, and the library's size.
     */
    static final String PLATFORM_FILE = "platform.txt";

    private SqliteNative() {
    }

    /**
     * Makes sure {@code <cacheDir>/sqlite-<version>/<os>/<arch>/<library>} exists (written once,
     * atomically: temp file then rename) and points sqlite-jdbc at it through the system properties
     * {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}. Must run before the first SQLite
     * connection of the JVM; later calls only return the prepared path. When the properties are
     * already set (by the user or an earlier call) they are left alone.
     *
     * @param cacheDir the installation's cache directory
     * @return the library file, or empty when sqlite-jdbc has no bundled library for this platform
     *     (sqlite-jdbc then falls back to {@code java.library.path})
     * @throws StateStoreException when the cache directory cannot be written; callers may log it
     *     and carry on (sqlite-jdbc then extracts to the temp directory as usual)
     */
    public static synchronized Optional<Path> prepare(Path cacheDir) {
        return prepare(cacheDir, OSInfo::getNativeLibFolderPathForCurrentOS);
    }

    /**
     * {@link #prepare(Path)} with the platform probe given: sqlite-jdbc's {@link OSInfo} forks
     * {@code uname -o} and {@code uname -m} and lists {@code /proc/self/map_files}, so its answer
     * is remembered next to the library ({@link #PLATFORM_FILE}) and asked again only when that
     * record does not match this JVM or the library it names is gone or changed.
     */
    static synchronized Optional<Path> prepare(Path cacheDir, Supplier<String> platformFolder) {
        String libName = LibraryLoaderUtil.getNativeLibName();
        String presetDir = System.getProperty(LIB_PATH_PROPERTY);
        if (presetDir != null) {
            return Optional.of(Path.of(presetDir, System.getProperty(LIB_NAME_PROPERTY, libName)));
        }
        Path versionDir = cacheDir.toAbsolutePath().normalize().resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
        Path record = versionDir.resolve(PLATFORM_FILE);
        String key = platformKey(libName);
        Path lib = remembered(record, key, versionDir);
        if (lib == null) {
            String folder = platformFolder.get();
            URL resource = SQLiteJDBCLoader.class.getResource("/org/sqlite/native/" + folder + "/" + libName);
            if (resource == null) {
                return Optional.empty();
            }
            Path dir = versionDir.resolve(folder);
            lib = dir.resolve(libName);
            try {
                long expected = contentLength(resource);
                if (!Files.isRegularFile(lib) || (expected >= 0 && Files.size(lib) != expected)) {
                    extract(resource, dir, lib);
                }
            } catch (IOException e) {
                throw new StateStoreException("cannot prepare the SQLite native library in " + dir + ": " + e
                        + "; make the cache directory writable (sqlite-jdbc falls back to java.io.tmpdir)", e);
            }
            remember(record, key, folder, lib);
        }
        System.setProperty(LIB_PATH_PROPERTY, lib.getParent().toString());
        System.setProperty(LIB_NAME_PROPERTY, libName);
        return Optional.of(lib);
    }

    /**
     * What {@link OSInfo}'s answer depends on that a JVM can tell without forking: the JDK, the machine
     * type and the C library (a glibc and a musl image can share one cache and one {@code java.home}
     * path, and need different libraries).
     */
    static String platformKey(String libName) {
        return String.join("|", System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                System.getProperty("java.home", ""), System.getProperty("java.runtime.name", ""), libc(Path.of("/lib")),
                libName);
    }

    /** @return {@code musl} when {@code lib} holds a musl dynamic loader ({@code ld-musl-<arch>.so.1}), else {@code libc} */
    static String libc(Path lib) {
        try (DirectoryStream<Path> musl = Files.newDirectoryStream(lib, "ld-musl-*")) {
            return musl.iterator().hasNext() ? "musl" : "libc";
        } catch (IOException | RuntimeException e) {
            return "libc";
        }
    }

    /**
     * @return the library the record names when it was written for {@code key} and the file still
     *     has the size recorded, else null
     */
    private static Path remembered(Path record, String key, Path versionDir) {
        try {
            List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
            if (lines.size() != 3 || !lines.get(0).equals(key)) {
                return null;
            }
            Path lib = versionDir.resolve(lines.get(1)).normalize();
            if (!lib.startsWith(versionDir) || Files.size(lib) != Long.parseLong(lines.get(2))) {
                return null;
            }
            return lib;
        } catch (IOException | RuntimeException e) {
            return null; // absent, unreadable or damaged: probe again
        }
    }

    /** Writes the record atomically; a failure only means the next launch probes again. */
    private static void remember(Path record, String key, String folder, Path lib) {
        try {
            String text = key + "\n" + folder + "/" + lib.getFileName() + "\n" + Files.size(lib) + "\n";
            ReplaceFile.write(record, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // the cache stays usable without the record
        }
    }

    private static long contentLength(URL resource) throws IOException {
        URLConnection c = resource.openConnection();
        c.setUseCaches(false); // a cached JarFile would stay open
        long n = c.getContentLengthLong();
        try (InputStream ignored = c.getInputStream()) {
            return n;
        }
    }

    private static void extract(URL resource, Path dir, Path lib) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, lib.getFileName().toString(), ".tmp");
        try {
            URLConnection c = resource.openConnection();
            c.setUseCaches(false);
            try (InputStream in = c.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp.toFile().setReadable(true, false);
            tmp.toFile().setExecutable(true, false);
            FileTrees.moveOver(tmp, lib);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
