package io.aetherflow.runtime.bundle;

import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sftp} and {@code smb} sources: a recursive walk through the {@link RemoteFiles} contract
 * ({@code list(dir)} per directory, self-loops guarded) and {@code readBytes} of {@code <base>/<rel>}.
 * SFTP takes the relative path from the entry's path minus {@code <base>/}; SMB builds it from entry
 * names and keeps a {@code SHARE:/} prefix of the base path when joining (catalog §5.2, E31–E33).
 */
final class RemoteFilesSource implements BundleSource {

    private final String type;
    private final RemoteFiles files;
    private final String base;

    /**
     * @param type {@code sftp} or {@code smb}
     * @param files the connector of the manifest resource
     * @param basePath {@code bundle.source.base_path}, or null
     */
    RemoteFilesSource(String type, RemoteFiles files, String basePath) {
        this.type = type;
        this.files = files;
        String b = basePath == null ? "" : basePath;
        // SFTP lists '/' when no base is given; reads then use '/<rel>' too (the reference reads '<rel>')
        this.base = b.isEmpty() && type.equals("sftp") ? "/" : b;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String basePath() {
        return base;
    }

    @Override
    public List<BundleFile> list() throws ListFailedException {
        List<BundleFile> out = new ArrayList<>();
        try {
            if (type.equals("sftp")) {
                String root = stripTrailing(base, "/");
                walkSftp(root.isEmpty() ? "/" : root, root.isEmpty() ? "/" : root, out);
            } else {
                walkSmb(stripTrailing(base, "/\\"), "", out);
            }
        } catch (RuntimeException e) {
            throw new ListFailedException(type + " source: listing " + (base.isEmpty() ? "/" : base) + " failed: "
                    + e.getMessage(), e);
        }
        out.sort(Fingerprint.BY_PATH);
        return out;
    }

    private void walkSftp(String cur, String root, List<BundleFile> out) {
        for (RemoteFile e : files.list(cur)) {
            String p = e.path();
            if (e.isDir()) {
                if (!p.isEmpty() && !p.equals(cur) && !stripTrailing(p, "/").equals(cur)) {
                    walkSftp(p, root, out);
                }
                continue;
            }
            String rel;
            if (!root.equals("/") && p.startsWith(root + "/")) {
                rel = p.substring(root.length() + 1);
            } else if (root.equals("/") && p.startsWith("/")) {
                rel = p.substring(1);
            } else {
                rel = p;
            }
            out.add(new BundleFile(rel, p, e.size(), e.mtime() == null ? null : e.mtime().doubleValue(), e.sha256()));
        }
    }

    private void walkSmb(String cur, String relPrefix, List<BundleFile> out) {
        for (RemoteFile e : files.list(cur)) {
            String name = e.name();
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                continue;
            }
            String child = smbJoin(cur, name);
            String rel = relPrefix.isEmpty() ? name : relPrefix + "/" + name;
            if (e.isDir()) {
                if (!child.isEmpty() && !child.equals(cur)) {
                    walkSmb(child, rel, out);
                }
                continue;
            }
            out.add(new BundleFile(rel, child, e.size(), e.mtime() == null ? null : e.mtime().doubleValue(),
                    e.sha256()));
        }
    }

    /** Joins a child name to an SMB directory, keeping a {@code SHARE:/} prefix. */
    static String smbJoin(String parent, String name) {
        String p = stripTrailing(parent, "/\\");
        if (p.isEmpty()) {
            return name;
        }
        int colon = p.indexOf(":/");
        if (colon >= 0) {
            String share = p.substring(0, colon);
            String rest = p.substring(colon + 2).replaceAll("^[/\\\\]+|[/\\\\]+$", "");
            return share + ":/" + (rest.isEmpty() ? name : rest + "/" + name);
        }
        return p.replace('\\', '/') + "/" + name;
    }

    @Override
    public String fullPath(String relPath) {
        return join(type, base, relPath);
    }

    /**
     * The reference's {@code _join_remote_path}: leading slashes of the relative path dropped, trailing
     * slashes of the base dropped, joined with {@code /} ({@code SHARE:/} prefixes survive). A root base
     * path ({@code /}) gives {@code /<rel>}.
     *
     * @param type source type
     * @param base base path, may be empty
     * @param rel relative path
     * @return the full path
     */
    static String join(String type, String base, String rel) {
        String r = rel.replaceAll("^/+", "");
        if (base == null || base.isEmpty()) {
            return r;
        }
        String b = stripTrailing(base, "/");
        return b + "/" + r;
    }

    @Override
    public byte[] read(String relPath) {
        return files.readBytes(fullPath(relPath));
    }

    private static String stripTrailing(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }
}
