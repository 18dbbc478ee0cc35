package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * The parsed {@code plugins.lock}: the exact plugin set of an installation.
 *
 * <h2>Format (version 1)</h2>
 * UTF-8 text, one bundle per line, so that a change of the plugin set is a readable diff.
 * Blank lines and lines starting with {@code #} are comments. Every other line has four or five
 * fields separated by spaces or tabs:
 * <pre>
 * # symbolic-name          version  sha256                                                           path                                   [signer-sha256]
 * io.aetherflow.core.api   1.0.0    4f0c...64 hex digits...                                          bundles/aetherflow-core-api-1.0.0.jar
 * com.vendor.steps.acme    2.1.0    9a1e...                                                          plugin-path:acme-steps-2.1.0.jar       77be...
 * </pre>
 * <ul>
 * <li><b>symbolic-name</b>: the jar's {@code Bundle-SymbolicName} (without directives).</li>
 * <li><b>version</b>: its {@code Bundle-Version} (OSGi syntax; compared as a version, written
 * normalised as {@code major.minor.micro[.qualifier]}).</li>
 * <li><b>sha256</b>: 64 hex digits, the SHA-256 of the jar file.</li>
 * <li><b>path</b>: where the jar is: a relative path below the installation home using {@code /}
 * (normally {@code bundles/NAME.jar}; no {@code ..}, no spaces), or {@code plugin-path:NAME.jar}
 * for a jar in one of the {@code AETHERFLOW_PLUGIN_PATHS} directories (the first directory that
 * holds a file of that name).</li>
 * <li><b>signer-sha256</b> (optional): 64 hex digits, the SHA-256 fingerprint of the certificate
 * that signed the jar; present for signed vendor bundles.</li>
 * </ul>
 * A symbolic name may appear with several versions, but a (name, version) pair and a path only once.
 * Lines with fewer than four or more than five fields are errors, so a newer format is refused
 * loudly rather than misread.
 *
 * <p>The plugin-set hash ({@link #setHash}) is a SHA-256 of the set, not of the text: of the entries
 * (symbolic name, version, sha256, path, signer) in a canonical order and spelling, so comments,
 * blank lines, column widths and line order do not change it; any change to an entry does.
 *
 * @param file where the lock was read from
 * @param sha256 the plugin-set hash ({@link #setHash} of {@code bundles}), hex
 * @param bundles the entries, in file order
 */
public record PluginLock(Path file, String sha256, List<LockedBundle> bundles) {

    /** File name of the lock in the installation home. */
    public static final String FILE_NAME = "plugins.lock";
    /** Path prefix of entries that live in an {@code AETHERFLOW_PLUGIN_PATHS} directory. */
    public static final String PLUGIN_PATH_PREFIX = "plugin-path:";

    private static final String SET_HASH_KEY = "#plugin-set-1";
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \\t]+");
    private static final Pattern PLAIN_FILE_NAME = Pattern.compile("[^/\\\\\\s:]+");

    /** Defensive copy. */
    public PluginLock {
        bundles = List.copyOf(bundles);
    }

    /**
     * Reads and parses a lock file.
     *
     * @param file the lock file
     * @return the lock
     * @throws PluginSetException when the file is missing, unreadable or malformed (message names file:line)
     */
    public static PluginLock read(Path file) throws PluginSetException {
        return read(file, JarHashes.uncached());
    }

    /**
     * Reads and parses a lock file, taking its hash from remembered digests when the file is unchanged.
     *
     * @param file the lock file
     * @param hashes remembered digests
     * @return the lock
     * @throws PluginSetException when the file is missing, unreadable or malformed (message names file:line)
     */
    public static PluginLock read(Path file, JarHashes hashes) throws PluginSetException {
        JarHashes.Content content;
        try {
            // remembered under its own key: an older cache holds the file's byte digest for this path
            // an anonymous class, not a lambda: a lambda's bootstrap costs start-up time of its own
            content = hashes.read(file, SET_HASH_KEY, new java.util.function.Function<byte[], String>() {
                @Override
                public String apply(byte[] bytes) {
                    try {
                        return setHash(parse(file, bytes, "").bundles());
                    } catch (PluginSetException e) {
                        return null; // never remembered; the parse below reports the error
                    }
                }
            });
        } catch (NoSuchFileException e) {
            throw new PluginSetException("plugin lock " + file + " does not exist; reinstall the distribution"
                    + " or set AETHERFLOW_HOME to an installation that has one");
        } catch (IOException e) {
            throw new PluginSetException("cannot read plugin lock " + file + ": " + e.getMessage(), e);
        }
        return parse(file, content.bytes(), content.sha256());
    }

    /**
     * Parses lock content.
     *
     * @param file the file name used in messages and kept in the result
     * @param content the file's bytes
     * @return the lock
     * @throws PluginSetException on the first malformed line (message is {@code file:line: why})
     */
    public static PluginLock parse(Path file, byte[] content) throws PluginSetException {
        return parse(file, content, null);
    }

    /**
     * The plugin-set hash: SHA-256 (hex) of the canonical text of the entries, one line each,
     * {@code symbolic-name version sha256 path signer} (signer {@code -} when unsigned; version
     * normalised; hex lower-case), sorted by symbolic name, version, path, after the line
     * {@code aetherflow-plugin-set 1}. The launcher, {@code plugins list|verify|lock|add|remove},
     * the {@code runs} table and the {@code run_start} event all use this one value.
     *
     * @param bundles the entries, any order
     * @return the hash
     */
    public static String setHash(List<LockedBundle> bundles) {
        List<LockedBundle> order = new ArrayList<>(bundles);
        order.sort((a, b) -> {
            int c = a.symbolicName().compareTo(b.symbolicName());
            if (c == 0) {
                c = Version.parseVersion(a.version()).compareTo(Version.parseVersion(b.version()));
            }
            return c != 0 ? c : a.fileName().compareTo(b.fileName());
        });
        StringBuilder sb = new StringBuilder("aetherflow-plugin-set 1\n");
        for (LockedBundle b : order) {
            sb.append(b.symbolicName()).append(' ').append(Version.parseVersion(b.version())).append(' ')
                    .append(b.sha256().toLowerCase(java.util.Locale.ROOT)).append(' ').append(b.fileName()).append(' ')
                    .append(b.signerSha256() == null ? "-" : b.signerSha256().toLowerCase(java.util.Locale.ROOT))
                    .append('\n');
        }
        return Sha256.hex(sb.toString());
    }

    private static PluginLock parse(Path file, byte[] content, String sha256) throws PluginSetException {
        String text = new String(content, StandardCharsets.UTF_8);
        List<LockedBundle> out = new ArrayList<>();
        Map<String, Integer> seenIds = new HashMap<>();
        Map<String, Integer> seenPaths = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + lineNo + ": ";
            String[] f = FIELD_SEPARATOR.split(line);
            if (f.length < 4 || f.length > 5) {
                throw new PluginSetException(where + "expected 'symbolic-name version sha256 path [signer-sha256]', found "
                        + f.length + " field" + (f.length == 1 ? "" : "s") + "; fix or regenerate the lock");
            }
            String bsn = f[0];
            if (!SYMBOLIC_NAME.matcher(bsn).matches()) {
                throw new PluginSetException(where + "'" + bsn + "' is not a bundle symbolic name");
            }
            String version;
            try {
                version = Version.parseVersion(f[1]).toString();
            } catch (IllegalArgumentException e) {
                throw new PluginSetException(where + "'" + f[1] + "' is not an OSGi version (major.minor.micro.qualifier)");
            }
            if (!HEX64.matcher(f[2]).matches()) {
                throw new PluginSetException(where + "sha256 of " + bsn + " must be 64 hex digits, found '" + f[2] + "'");
            }
            String path = f[3];
            String pathProblem = pathProblem(path);
            if (pathProblem != null) {
                throw new PluginSetException(where + "path of " + bsn + " " + pathProblem);
            }
            String signer = null;
            if (f.length == 5) {
                if (!HEX64.matcher(f[4]).matches()) {
                    throw new PluginSetException(where + "signer fingerprint of " + bsn + " must be 64 hex digits, found '"
                            + f[4] + "'");
                }
                signer = f[4].toLowerCase(java.util.Locale.ROOT);
            }
            String id = bsn + " " + version;
            Integer dup = seenIds.putIfAbsent(id, lineNo);
            if (dup != null) {
                throw new PluginSetException(where + id + " is already locked on line " + dup);
            }
            dup = seenPaths.putIfAbsent(path, lineNo);
            if (dup != null) {
                throw new PluginSetException(where + "path " + path + " is already used on line " + dup);
            }
            out.add(new LockedBundle(bsn, version, f[2].toLowerCase(java.util.Locale.ROOT), path, signer));
        }
        return new PluginLock(file, sha256 != null ? sha256 : setHash(out), out);
    }

    /** @return why the path column is unacceptable, or null when it is fine */
    static String pathProblem(String path) {
        if (path.startsWith(PLUGIN_PATH_PREFIX)) {
            String name = path.substring(PLUGIN_PATH_PREFIX.length());
            return PLAIN_FILE_NAME.matcher(name).matches() ? null
                    : "'" + path + "' must be plugin-path:<file name> (no directories)";
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return "'" + path + "' must be relative to the installation home (e.g. bundles/x.jar)";
        }
        Set<String> bad = new HashSet<>(List.of("", ".", ".."));
        for (String segment : path.split("/", -1)) {
            if (bad.contains(segment)) {
                return "'" + path + "' must not contain empty, '.' or '..' segments";
            }
        }
        return null;
    }

    /**
     * Renders lock content in the canonical form: a comment header, then one aligned line per
     * bundle sorted by symbolic name and version.
     *
     * @param bundles the entries
     * @param generator who wrote the file, for the header (e.g. {@code aetherflow 0.1.0 build})
     * @return the file content
     */
    public static String format(List<LockedBundle> bundles, String generator) {
        List<LockedBundle> sorted = new ArrayList<>(bundles);
        sorted.sort((a, b) -> {
            int c = a.symbolicName().compareTo(b.symbolicName());
            return c != 0 ? c : Version.parseVersion(a.version()).compareTo(Version.parseVersion(b.version()));
        });
        int wName = "# symbolic-name".length();
        int wVersion = "version".length();
        int wPath = "path".length();
        for (LockedBundle b : sorted) {
            wName = Math.max(wName, b.symbolicName().length());
            wVersion = Math.max(wVersion, b.version().length());
            wPath = Math.max(wPath, b.fileName().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# AetherFlow plugin lock, format 1 (written by ").append(generator).append(").\n");
        sb.append("# The launcher loads exactly these bundles and refuses to start when a jar is missing,\n");
        sb.append("# changed (sha256), not listed here (in bundles/), or when the set does not resolve.\n");
        sb.append("# path: relative to the installation home, or plugin-path:<file> for a jar in an\n");
        sb.append("# AETHERFLOW_PLUGIN_PATHS directory. signer-sha256: certificate fingerprint (signed jars).\n");
        String fmt = "%-" + wName + "s  %-" + wVersion + "s  %-64s  %-" + wPath + "s";
        sb.append(String.format(fmt, "# symbolic-name", "version", "sha256", "path")).append("  [signer-sha256]")
                .append('\n');
        for (LockedBundle b : sorted) {
            String line = String.format(fmt, b.symbolicName(), b.version(), b.sha256(), b.fileName());
            line = b.signerSha256() == null ? line.stripTrailing() : line + "  " + b.signerSha256();
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
