package io.aetherflow.connectors.smb;

import io.aetherflow.api.connector.ConnectorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote path split into its share and the path inside the share, from the reference's forms:
 * UNC ({@code \\server\share\dir\f.txt}, also with {@code /}), {@code SHARE:/dir/f.txt} or
 * {@code SHARE:\dir\f.txt} (share name of two or more {@code [A-Za-z0-9_.-]}), a drive prefix
 * ({@code C:\} or {@code C:/}, stripped), or a plain path below the configured share.
 *
 * @param share the share name
 * @param path the path inside the share, {@code \}-separated, no leading separator; empty for the root
 */
record SmbPath(String share, String path) {

    private static final Pattern SHARE_PREFIX = Pattern.compile("^([A-Za-z0-9_.\\-]{2,}):(.*)$", Pattern.DOTALL);
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:([\\\\/].*)?$", Pattern.DOTALL);

    /**
     * Parses a path.
     *
     * @param raw the path as a flow wrote it
     * @param defaultShare the resource's {@code config.share}, or null
     * @param resource the resource name, for messages
     * @return the share and path
     * @throws ConnectorException when no share can be determined
     */
    static SmbPath parse(String raw, String defaultShare, String resource) {
        String p = raw == null ? "" : raw.trim();
        String share = defaultShare;
        if (p.startsWith("\\\\") || p.startsWith("//")) {
            String rest = p.substring(2).replace('/', '\\');
            int s1 = rest.indexOf('\\');
            if (s1 < 0) {
                throw new ConnectorException("resource " + resource + ": UNC path " + raw
                        + " names no share (write \\\\server\\share\\path)");
            }
            rest = rest.substring(s1 + 1);
            int s2 = rest.indexOf('\\');
            share = s2 < 0 ? rest : rest.substring(0, s2);
            p = s2 < 0 ? "" : rest.substring(s2 + 1);
            if (share.isEmpty()) {
                throw new ConnectorException("resource " + resource + ": UNC path " + raw
                        + " names no share (write \\\\server\\share\\path)");
            }
        } else {
            Matcher m = SHARE_PREFIX.matcher(p);
            if (m.matches()) {
                share = m.group(1);
                p = m.group(2);
            } else if (DRIVE.matcher(p).matches()) {
                p = p.substring(2);
            }
        }
        if (share == null) {
            throw new ConnectorException("resource " + resource + ": SMB path " + raw + " requires a share (set"
                    + " config.share or use the 'SHARE:/path' or UNC \\\\server\\share\\path form)");
        }
        return new SmbPath(share, normalise(p));
    }

    /** {@code /} to {@code \}, no leading/trailing/doubled separators, {@code .} segments dropped. */
    private static String normalise(String p) {
        StringBuilder b = new StringBuilder();
        for (String seg : p.replace('/', '\\').split("\\\\")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (b.length() > 0) {
                b.append('\\');
            }
            b.append(seg);
        }
        return b.toString();
    }

    /** @return the parent inside the share ({@code ""} for entries at the root), or null for the root itself */
    SmbPath parent() {
        if (path.isEmpty()) {
            return null;
        }
        int i = path.lastIndexOf('\\');
        return new SmbPath(share, i < 0 ? "" : path.substring(0, i));
    }

    /** @return the last segment ({@code ""} for the root) */
    String name() {
        return path.substring(path.lastIndexOf('\\') + 1);
    }

    /**
     * @param child an entry name
     * @return the child path
     */
    SmbPath child(String child) {
        return new SmbPath(share, path.isEmpty() ? child : path + "\\" + child);
    }

    /**
     * @param host the server
     * @return the UNC form {@code \\host\share\path}
     */
    String unc(String host) {
        return "\\\\" + host + "\\" + share + (path.isEmpty() ? "" : "\\" + path);
    }
}
