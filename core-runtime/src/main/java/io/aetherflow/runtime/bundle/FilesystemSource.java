package io.aetherflow.runtime.bundle;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code filesystem} source: a recursive walk of a local directory (files only, in the reference's
 * order; relative paths with {@code /}; size and fractional mtime as Python's {@code os.stat} gives
 * them, so fingerprints match the reference's).
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
        walk(root, "", out);
        return out;
    }

    /**
     * The reference's {@code sorted(root.rglob("*"))} filtered by {@code is_file()}, in one pass: a
     * depth-first walk taking each directory's names in code-point order, which is the order of
     * Python's path comparison (part by part), so no sort of the whole listing is needed. Directories
     * are entered unless they are symbolic links (rglob does not follow them); regular files and links
     * to regular files are listed with the size and mtime of what they point to (Python's
     * {@code stat()}); broken links and other kinds of file are skipped.
     */
    private static void walk(Path dir, String prefix, List<BundleFile> out) throws IOException {
        // one native call for all names (a DirectoryStream makes one per entry)
        String[] names = dir.toFile().list();
        if (names == null) {
            // File.list gives no reason: open it again for the exception that names one
            Files.newDirectoryStream(dir).close();
            throw new IOException("cannot list directory " + dir);
        }
        Arrays.sort(names, Fingerprint.CODE_POINT_ORDER);
        for (String name : names) {
            Path p = dir.resolve(name);
            BasicFileAttributes a;
            boolean link;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                link = a.isSymbolicLink();
                if (link) {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                }
            } catch (AccessDeniedException e) {
                throw e;
            } catch (FileSystemException gone) {
                // removed since it was listed, a broken link, a link loop: Python's is_file() says False
                continue;
            }
            if (a.isDirectory()) {
                if (!link) {
                    walk(p, prefix + name + "/", out);
                }
                continue;
            }
            if (a.isRegularFile()) {
                out.add(new BundleFile(prefix + name, null, a.size(), pythonMtime(a.lastModifiedTime()), null));
            }
        }
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
