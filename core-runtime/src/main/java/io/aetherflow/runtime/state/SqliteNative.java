package io.aetherflow.runtime.state;

import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
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
        String libName = LibraryLoaderUtil.getNativeLibName();
        String presetDir = System.getProperty(LIB_PATH_PROPERTY);
        if (presetDir != null) {
            return Optional.of(Path.of(presetDir, System.getProperty(LIB_NAME_PROPERTY, libName)));
        }
        String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        URL resource = SQLiteJDBCLoader.class.getResource("/org/sqlite/native/" + folder + "/" + libName);
        if (resource == null) {
            return Optional.empty();
        }
        Path dir = cacheDir.toAbsolutePath().normalize().resolve("sqlite-" + SQLiteJDBCLoader.getVersion())
                .resolve(folder);
        Path lib = dir.resolve(libName);
        try {
            long expected = contentLength(resource);
            if (!Files.isRegularFile(lib) || (expected >= 0 && Files.size(lib) != expected)) {
                extract(resource, dir, lib);
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot prepare the SQLite native library in " + dir + ": " + e
                    + "; make the cache directory writable (sqlite-jdbc falls back to java.io.tmpdir)", e);
        }
        System.setProperty(LIB_PATH_PROPERTY, dir.toString());
        System.setProperty(LIB_NAME_PROPERTY, libName);
        return Optional.of(lib);
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
