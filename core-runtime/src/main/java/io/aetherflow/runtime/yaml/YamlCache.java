package io.aetherflow.runtime.yaml;

import io.aetherflow.api.support.FileTrees;
import io.aetherflow.runtime.LazyMap;
import io.aetherflow.runtime.ReplaceFile;
import io.aetherflow.runtime.bundle.Fingerprint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Remembers loaded flow files, so a launch that loads a file it loaded before (the same bytes)
 * skips the YAML parser: in a JVM that lives for one command, parsing a flow of a thousand steps
 * with SnakeYAML takes about a hundred milliseconds of cold code, reading the record back a few.
 *
 * <p>One record per flow path in {@code <cacheDir>/flow-cache/<plugin set>/}: the file's bytes as
 * loaded (a record answers only for exactly those bytes), their SHA-256 (the run row's flow hash),
 * the values with the positions of every key and list item, and a CRC-32 of all that (a damaged
 * record is not used). The positions are decoded only when something asks for one
 * ({@link io.aetherflow.runtime.LazyMap}). The plugin set hash in the directory name changes with any bundle of
 * the installation, the engine's own included, so a record is never read by other parsing code
 * than the one that wrote it. Only documents without aliases and merge keys are recorded (their
 * positions follow the values one to one); everything else, and any failure, is parsed as before.
 * A record that cannot be read or written costs nothing but the parse.
 */
public final class YamlCache {

    /** A cache that records nothing: every load parses. */
    public static final YamlCache NONE = new YamlCache(null);

    private static final int MAGIC = 0x41465932; // "AFY2"
    private static final long MAX_SOURCE_BYTES = 16L * 1024 * 1024;
    /** Record directories of other plugin sets unused this long are deleted when a new set's is made. */
    static final Duration STALE = Duration.ofDays(30);

    private static final byte NULL = 0;
    private static final byte LATIN1 = 1;
    private static final byte UTF16 = 2;
    private static final byte LONG = 3;
    private static final byte BIG = 4;
    private static final byte DOUBLE = 5;
    private static final byte TRUE = 6;
    private static final byte FALSE = 7;
    private static final byte MAP = 8;
    private static final byte LIST = 9;

    private final Path dir;

    private YamlCache(Path dir) {
        this.dir = dir;
    }

    /**
     * @param cacheDir the per-user cache directory, or null
     * @param pluginSetHash the installation's plugin set hash, or null (outside the launcher)
     * @return the cache for that installation, or {@link #NONE} when either is missing
     */
    public static YamlCache in(Path cacheDir, String pluginSetHash) {
        if (cacheDir == null || pluginSetHash == null || pluginSetHash.isBlank()) {
            return NONE;
        }
        for (int i = 0; i < pluginSetHash.length(); i++) {
            if (!Character.isLetterOrDigit(pluginSetHash.charAt(i))) {
                return NONE;
            }
        }
        String set = pluginSetHash.length() > 16 ? pluginSetHash.substring(0, 16) : pluginSetHash;
        return new YamlCache(cacheDir.toAbsolutePath().normalize().resolve("flow-cache").resolve(set));
    }

    /** @return whether this cache records anything */
    public boolean enabled() {
        return dir != null;
    }

    /** The record of a file: one per absolute path (FNV-1a 64 of it), replaced when the file changes. */
    Path recordOf(Path file) {
        String key = file.toAbsolutePath().normalize().toString();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return dir.resolve(String.format(Locale.ROOT, "%016x.bin", h));
    }

    /**
     * The document a record holds for exactly {@code source}, or null (no record, another content,
     * a damaged record).
     */
    LoadedYaml read(Path file, byte[] source, String name) {
        if (dir == null || source.length > MAX_SOURCE_BYTES) {
            return null;
        }
        byte[] record;
        try {
            record = Files.readAllBytes(recordOf(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            if (record.length < 4 || crc(record, record.length - 4) != ByteBuffer.wrap(record, record.length - 4, 4).getInt()) {
                return null; // damaged (or written by something else)
            }
            ByteBuffer in = ByteBuffer.wrap(record, 0, record.length - 4);
            if (in.getInt() != MAGIC || in.getInt() != source.length
                    || !Arrays.equals(record, in.position(), in.position() + source.length, source, 0, source.length)) {
                return null;
            }
            in.position(in.position() + source.length);
            byte[] sha = new byte[32];
            in.get(sha);
            boolean root = in.get() == 1;
            int count = in.getInt();
            int tree = in.position();
            byte[] bytes = record;
            int[] entries = new int[1];
            Object data = node(in, entries);
            // the positions map has one entry per key and item at most (plus the root): a larger
            // count would size it from a damaged number when it is first asked for
            if (in.hasRemaining() || count < 0 || count > entries[0] + 1) {
                return null;
            }
            return new LoadedYaml(data, file, new LazyMap<>(() -> positions(bytes, tree, root, count)), name,
                    HexFormat.of().formatHex(sha));
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException
                | NegativeArraySizeException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The values of the tree at the buffer's position (positions checked, not decoded).
     *
     * @param entries counts the keys and items read
     */
    private static Object node(ByteBuffer in, int[] entries) {
        byte tag = in.get();
        switch (tag) {
            case NULL:
                return null;
            case LATIN1:
            case UTF16:
                return string(in, tag);
            case LONG:
                return in.getLong();
            case BIG: {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                return new BigInteger(b);
            }
            case DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case MAP: {
                int n = in.getInt();
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = string(in, in.get());
                    checkPosition(in);
                    entries[0]++;
                    m.put(key, node(in, entries));
                }
                return m;
            }
            case LIST: {
                int n = in.getInt();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    checkPosition(in);
                    entries[0]++;
                    l.add(node(in, entries));
                }
                return l;
            }
            default:
                throw new IllegalArgumentException("bad tag " + tag);
        }
    }

    /**
     * Checks a key's or item's position (line and column from 1) without decoding it, so that a
     * record whose values decode also has positions that do: they are read lazily, later.
     */
    private static void checkPosition(ByteBuffer in) {
        if (in.getInt() < 1 || in.getInt() < 1) {
            throw new IllegalArgumentException("bad position");
        }
    }

    /** The positions of a record's tree (read when its document was loaded, so it decodes). */
    private static Map<String, LoadedYaml.Position> positions(byte[] record, int tree, boolean root, int count) {
        Map<String, LoadedYaml.Position> positions = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
        if (root) {
            positions.put("", new LoadedYaml.Position(1, 1));
        }
        positions(ByteBuffer.wrap(record, tree, record.length - 4 - tree), "", positions);
        return positions;
    }

    /** Skips one value, recording the positions of the keys and items in it. */
    private static void positions(ByteBuffer in, String loc, Map<String, LoadedYaml.Position> positions) {
        byte tag = in.get();
        switch (tag) {
            case LATIN1 -> in.position(in.position() + 4 + in.getInt(in.position()));
            case UTF16 -> in.position(in.position() + 4 + 2 * in.getInt(in.position()));
            case LONG, DOUBLE -> in.position(in.position() + 8);
            case BIG -> in.position(in.position() + 4 + in.getInt(in.position()));
            case MAP -> {
                int n = in.getInt();
                for (int i = 0; i < n; i++) {
                    String key = string(in, in.get());
                    String child = loc.isEmpty() ? key : loc + "." + key;
                    positions.putIfAbsent(child, new LoadedYaml.Position(in.getInt(), in.getInt()));
                    positions(in, child, positions);
                }
            }
            case LIST -> {
                int n = in.getInt();
                for (int i = 0; i < n; i++) {
                    String child = loc + "[" + i + "]";
                    positions.putIfAbsent(child, new LoadedYaml.Position(in.getInt(), in.getInt()));
                    positions(in, child, positions);
                }
            }
            case NULL, TRUE, FALSE -> {
                // the tag is the value
            }
            default -> throw new IllegalStateException("bad tag " + tag + " in a record that decoded");
        }
    }

    private static String string(ByteBuffer in, byte tag) {
        int n = in.getInt();
        if (tag == LATIN1) {
            String s = new String(in.array(), in.position(), n, StandardCharsets.ISO_8859_1);
            in.position(in.position() + n);
            return s;
        }
        if (tag != UTF16) {
            throw new IllegalArgumentException("bad string tag " + tag);
        }
        char[] c = new char[n];
        in.asCharBuffer().get(c);
        in.position(in.position() + 2 * n);
        return new String(c);
    }

    /**
     * Records a document loaded from {@code source}; does nothing for documents with aliases or
     * merge keys, and gives up quietly on any I/O problem.
     */
    void write(Path file, byte[] source, LoadedYaml yaml) {
        if (dir == null || source.length > MAX_SOURCE_BYTES) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(source.length * 2 + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(source.length);
            out.write(source);
            out.write(HexFormat.of().parseHex(yaml.sha256() != null ? yaml.sha256() : Fingerprint.sha256Hex(source)));
            Map<String, LoadedYaml.Position> positions = yaml.positions();
            out.writeByte(positions.containsKey("") ? 1 : 0);
            out.writeInt(positions.size());
            if (!write(out, yaml.data(), "", positions)) {
                return;
            }
            out.flush();
            out.writeInt(crc(bytes.toByteArray(), bytes.size()));
            out.flush();
            Path record = recordOf(file);
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                pruneOtherSets();
            }
            ReplaceFile.write(record, bytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            // an unwritable cache only means the next launch parses again
        }
    }

    /** A new plugin set's directory: those of other sets not written for {@link #STALE} go (best effort). */
    private void pruneOtherSets() {
        long cutoff = System.currentTimeMillis() - STALE.toMillis();
        try (Stream<Path> sets = Files.list(dir.getParent())) {
            for (Path other : (Iterable<Path>) sets::iterator) {
                if (!other.equals(dir) && Files.isDirectory(other, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(other).toMillis() < cutoff) {
                    FileTrees.delete(other);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an old record directory only takes space
        }
    }

    /** @return false when the value cannot be recorded (a position is missing: not a plain document) */
    @SuppressWarnings("unchecked")
    private static boolean write(DataOutputStream out, Object v, String loc, Map<String, LoadedYaml.Position> positions)
            throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof BigInteger b) {
            byte[] a = b.toByteArray();
            out.writeByte(BIG);
            out.writeInt(a.length);
            out.write(a);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof LinkedHashMap<?, ?> m) {
            out.writeByte(MAP);
            out.writeInt(m.size());
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                String child = loc.isEmpty() ? e.getKey() : loc + "." + e.getKey();
                LoadedYaml.Position p = positions.get(child);
                if (p == null) {
                    return false;
                }
                string(out, e.getKey());
                out.writeInt(p.line());
                out.writeInt(p.column());
                if (!write(out, e.getValue(), child, positions)) {
                    return false;
                }
            }
        } else if (v instanceof ArrayList<?> l) {
            out.writeByte(LIST);
            out.writeInt(l.size());
            for (int i = 0; i < l.size(); i++) {
                String child = loc + "[" + i + "]";
                LoadedYaml.Position p = positions.get(child);
                if (p == null) {
                    return false;
                }
                out.writeInt(p.line());
                out.writeInt(p.column());
                if (!write(out, l.get(i), child, positions)) {
                    return false;
                }
            }
        } else {
            return false;
        }
        return true;
    }

    private static int crc(byte[] b, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, length);
        return (int) crc.getValue();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        out.writeByte(latin1 ? LATIN1 : UTF16);
        out.writeInt(s.length());
        if (latin1) {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.writeChars(s);
        }
    }
}
