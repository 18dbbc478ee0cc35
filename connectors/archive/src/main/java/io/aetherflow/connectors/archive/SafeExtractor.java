package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.ExtractLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The safety rules of every extraction: entry names are checked (no absolute paths, drive prefixes or
 * {@code ..} segments), symbolic links refused, sizes bounded by {@link ExtractLimits}; data goes to
 * a staging directory inside the destination and is moved into place only when complete.
 */
final class SafeExtractor {

    private static final String STAGING_PREFIX = ".aetherflow-unzip-";

    private final String prefix;
    private final ExtractLimits limits;

    SafeExtractor(String prefix, ExtractLimits limits) {
        this.prefix = prefix;
        this.limits = limits;
    }

    /**
     * A safe relative POSIX name for an entry, without trailing {@code /}.
     *
     * @throws ConnectorException when the name escapes the destination
     */
    String safeName(Path archive, String name) {
        String n = name.replace('\\', '/');
        boolean unsafe = n.isEmpty() || n.indexOf('\0') >= 0 || n.startsWith("/")
                || (n.length() >= 2 && n.charAt(1) == ':' && Character.isLetter(n.charAt(0)));
        List<String> parts = new ArrayList<>();
        if (!unsafe) {
            for (String p : n.split("/")) {
                if (p.equals("..")) {
                    unsafe = true;
                    break;
                }
                if (!p.isEmpty() && !p.equals(".")) {
                    parts.add(p);
                }
            }
        }
        if (unsafe) {
            throw new ConnectorException(prefix + ": archive " + archive + " refused: entry '" + printable(name)
                    + "' escapes the destination directory (absolute path or '..'; zip-slip); nothing was extracted");
        }
        return String.join("/", parts);
    }

    /**
     * Checks every entry's name and type and the declared sizes; resolves {@code members}.
     *
     * @return the entries to extract, in archive order, paired with their safe names
     */
    List<Named> plan(Path archive, List<Entry> entries, List<String> members) {
        if (entries.size() > limits.maxEntries()) {
            throw bomb(archive, "it has " + entries.size() + " entries (max_entries " + limits.maxEntries() + ")");
        }
        long declared = 0;
        List<Named> all = new ArrayList<>();
        for (Entry e : entries) {
            String safe = safeName(archive, e.name());
            if (e.symlink()) {
                throw new ConnectorException(prefix + ": archive " + archive + " refused: entry '" + printable(e.name())
                        + "' is a symbolic link (links could point outside the destination); nothing was extracted");
            }
            if (!e.directory() && e.size() > 0) {
                declared += e.size();
                if (declared > limits.maxTotalBytes()) {
                    throw bomb(archive, "its entries declare more than max_total_bytes " + limits.maxTotalBytes() + " bytes");
                }
                checkRatio(archive, e.name(), e.size(), e.compressedSize());
            }
            if (!safe.isEmpty()) {
                all.add(new Named(e, safe));
            }
        }
        if (members == null || members.isEmpty()) {
            return all;
        }
        List<Named> chosen = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String m : members) {
            wanted.add(stripSlash(m.replace('\\', '/')));
        }
        Set<String> found = new LinkedHashSet<>();
        for (Named n : all) {
            String raw = stripSlash(n.entry().name().replace('\\', '/'));
            if (wanted.contains(raw) || wanted.contains(n.name())) {
                chosen.add(n);
                found.add(wanted.contains(raw) ? raw : n.name());
            }
        }
        wanted.removeAll(found);
        if (!wanted.isEmpty()) {
            throw new ConnectorException(prefix + ": members " + wanted + " are not in archive " + archive
                    + " (names are the archive's paths, e.g. dir/file.txt)");
        }
        return chosen;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private void checkRatio(Path archive, String name, long size, long compressed) {
        if (size >= limits.ratioMinBytes() && compressed >= 0 && size > compressed * limits.maxRatio()) {
            throw bomb(archive, "entry '" + printable(name) + "' expands from " + compressed + " to " + size
                    + " bytes, more than max_ratio " + ratioText());
        }
    }

    private String ratioText() {
        double r = limits.maxRatio();
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }

    ConnectorException bomb(Path archive, String why) {
        return new ConnectorException(prefix + ": archive " + archive + " refused as a possible zip bomb: " + why
                + "; nothing was extracted (raise the resource options max_total_bytes/max_ratio/max_entries only for"
                + " trusted archives)");
    }

    /** Creates the staging directory inside {@code destDir}. */
    static Path staging(Path destDir) throws IOException {
        Files.createDirectories(destDir);
        return Files.createTempDirectory(destDir, STAGING_PREFIX);
    }

    /**
     * Extracts the planned entries of a source into {@code staging}, counting real bytes.
     *
     * @return the names of the extracted entries, directories with a trailing {@code /}
     */
    List<String> extractTo(Path archive, EntrySource src, List<Named> plan, Path staging) throws IOException {
        long total = 0;
        Set<String> written = new LinkedHashSet<>();
        byte[] buf = new byte[64 * 1024];
        for (Named n : plan) {
            Path target = staging.resolve(n.name());
            if (n.entry().directory()) {
                Files.createDirectories(target);
                written.add(n.name() + "/");
                continue;
            }
            Files.createDirectories(target.getParent());
            long entryBytes = 0;
            long compressed = n.entry().compressedSize();
            try (InputStream in = src.open(n.entry()); OutputStream out = Files.newOutputStream(target)) {
                int r;
                while ((r = in.read(buf)) != -1) {
                    entryBytes += r;
                    total += r;
                    if (total > limits.maxTotalBytes()) {
                        throw bomb(archive, "it extracts to more than max_total_bytes " + limits.maxTotalBytes() + " bytes");
                    }
                    if (entryBytes >= limits.ratioMinBytes() && compressed >= 0
                            && entryBytes > compressed * limits.maxRatio()) {
                        throw bomb(archive, "entry '" + printable(n.entry().name()) + "' expands from " + compressed
                                + " to more than " + entryBytes + " bytes, more than max_ratio " + ratioText());
                    }
                    out.write(buf, 0, r);
                }
            }
            written.remove(n.name());
            written.add(n.name());
        }
        return new ArrayList<>(written);
    }

    /**
     * Checks what an external tool extracted into {@code staging}: only regular files and
     * directories, at most {@code max_total_bytes} and {@code max_entries}.
     *
     * @return the names found, sorted, directories with a trailing {@code /}
     */
    List<String> inspect(Path archive, Path staging) throws IOException {
        List<String> names = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.walk(staging)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (p.equals(staging)) {
                    continue;
                }
                String rel = staging.relativize(p).toString().replace('\\', '/');
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    throw new ConnectorException(prefix + ": archive " + archive + " refused: entry '" + rel
                            + "' is a symbolic link (links could point outside the destination); nothing was extracted");
                }
                if (a.isDirectory()) {
                    names.add(rel + "/");
                } else if (a.isRegularFile()) {
                    total += a.size();
                    names.add(rel);
                } else {
                    throw new ConnectorException(prefix + ": archive " + archive + " refused: entry '" + rel
                            + "' is not a regular file or directory; nothing was extracted");
                }
                if (names.size() > limits.maxEntries()) {
                    throw bomb(archive, "it has more than max_entries " + limits.maxEntries() + " entries");
                }
                if (total > limits.maxTotalBytes()) {
                    throw bomb(archive, "it extracts to more than max_total_bytes " + limits.maxTotalBytes() + " bytes");
                }
            }
        }
        return names;
    }

    /**
     * Moves extracted entries from {@code staging} into {@code destDir}.
     *
     * @param names entry names as returned by {@link #extractTo} or {@link #inspect}
     * @return the names of the files placed (existing files kept when not {@code overwrite} are left out)
     */
    List<String> promote(Path staging, Path destDir, List<String> names, boolean overwrite) throws IOException {
        List<String> placed = new ArrayList<>();
        for (String n : names) {
            boolean dir = n.endsWith("/");
            String name = dir ? n.substring(0, n.length() - 1) : n;
            Path target = destDir.resolve(name);
            ensureNoLinkedParent(destDir, target);
            if (dir) {
                if (Files.isSymbolicLink(target)) {
                    throw new ConnectorException(prefix + ": " + target + " is a symbolic link; refusing to extract into it");
                }
                Files.createDirectories(target);
                continue;
            }
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ConnectorException(prefix + ": cannot extract '" + name + "': " + target
                            + " is a directory");
                }
                if (!overwrite) {
                    continue;
                }
            }
            Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
            placed.add(name);
        }
        return placed;
    }

    /** Refuses targets below an existing symbolic link inside {@code destDir}. */
    private void ensureNoLinkedParent(Path destDir, Path target) {
        Path cur = target.getParent();
        while (cur != null && !cur.equals(destDir) && cur.startsWith(destDir)) {
            if (Files.isSymbolicLink(cur)) {
                throw new ConnectorException(prefix + ": " + cur + " is a symbolic link inside the destination; "
                        + "refusing to extract through it (remove the link or choose another dest_dir)");
            }
            cur = cur.getParent();
        }
    }

    /** Deletes a directory tree without following links; best effort. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover staging directory is visible and harmless
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        String r = b.toString();
        return r.length() > 200 ? r.substring(0, 200) + "..." : r;
    }

    /** An entry with its safe name. */
    record Named(Entry entry, String name) {
    }
}
