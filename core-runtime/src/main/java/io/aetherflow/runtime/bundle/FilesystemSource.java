package io.aetherflow.runtime.bundle;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code filesystem} source: a recursive walk of a local directory (files only; relative paths
 * with {@code /}; size and fractional mtime as Python's {@code os.stat} gives them, so fingerprints
 * match the reference's).
 */
final class FilesystemSource implements BundleSource {

    private final Path base;

    /**
     * @param manifest the manifest file
     * @param basePath {@code bundle.source.base_path}: absolute, relative to the manifest's directory,
     *        or empty/null for the manifest's directory
     */
    FilesystemSource(Path manifest, String basePath) {
        Path dir = manifest.toAbsolutePath().getParent();
        if (basePath == null || basePath.isEmpty()) {
            base = dir.normalize();
        } else if (basePath.startsWith("/")) {
            base = Path.of(basePath);
        } else {
            base = dir.resolve(basePath).normalize();
        }
    }

    @Override
    public String type() {
        return "filesystem";
    }

    @Override
    public String basePath() {
        return base.toString();
    }

    @Override
    public List<BundleFile> list() throws IOException {
        Path root = base.toRealPath();
        List<BundleFile> out = new ArrayList<>();
        Files.walkFileTree(root, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            String rel = root.relativize(file).toString().replace('\\', '/');
                            out.add(new BundleFile(rel, file.toString(), attrs.size(),
                                    pythonMtime(attrs.lastModifiedTime()), null));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                        throw exc;
                    }
                });
        out.sort(FilesystemSource::byParts);
        return out;
    }

    /** Python's order of {@code sorted(root.rglob("*"))}: path components compared one by one. */
    private static int byParts(BundleFile a, BundleFile b) {
        String[] x = a.relPath().split("/");
        String[] y = b.relPath().split("/");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Fingerprint.CODE_POINT_ORDER.compare(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * Python's {@code st_mtime}: {@code sec + nsec * 1e-9} in double arithmetic.
     *
     * @param t the file time
     * @return fractional seconds
     */
    static double pythonMtime(FileTime t) {
        Instant i = t.toInstant();
        return (double) i.getEpochSecond() + i.getNano() * 1e-9;
    }

    @Override
    public String fullPath(String relPath) {
        return base.resolve(relPath).toString();
    }

    @Override
    public byte[] read(String relPath) throws IOException {
        return Files.readAllBytes(base.resolve(relPath));
    }
}
