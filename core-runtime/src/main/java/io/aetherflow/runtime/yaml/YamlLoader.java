package io.aetherflow.runtime.yaml;

import io.aetherflow.api.support.PyRepr;
import io.aetherflow.runtime.bundle.Fingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads one YAML document safely: the event stream is turned into plain Java values without any
 * object construction. YAML 1.2 core schema scalars; merge keys ({@code <<}) supported; duplicate
 * keys, non-scalar keys, unknown tags and several documents refused; limits on aliases for
 * collections, nesting depth, document size and expanded size. Stateless and thread-safe.
 */
public final class YamlLoader {

    /**
     * Safety limits.
     *
     * @param maxAliases aliases to collections allowed in one document
     * @param maxDepth nesting depth of collections
     * @param maxCodePoints document size in code points
     * @param maxNodes values in the document after alias expansion
     */
    public record Limits(int maxAliases, int maxDepth, int maxCodePoints, int maxNodes) {
    }

    /** Default limits: 50 aliases, depth 100, 8 Mi code points, 1 Mi values after expansion. */
    public static final Limits DEFAULT_LIMITS = new Limits(50, 100, 8 * 1024 * 1024, 1024 * 1024);

    /** The core schema's resolver, built on first use (its patterns are compiled then; a cached load needs none). */
    private static final class Resolver {
        static final ScalarResolver CORE = new CoreSchema().getScalarResolver();
    }

    private YamlLoader() {
    }

    /**
     * Loads a UTF-8 YAML file with the default limits.
     *
     * @param file the file
     * @return the document and key positions
     * @throws YamlLoadException when the file cannot be read or parsed, or breaks a limit
     */
    public static LoadedYaml load(Path file) {
        return load(file, DEFAULT_LIMITS);
    }

    /**
     * Loads a UTF-8 YAML file.
     *
     * @param file the file
     * @param limits safety limits
     * @return the document and key positions
     * @throws YamlLoadException when the file cannot be read or parsed, or breaks a limit
     */
    public static LoadedYaml load(Path file, Limits limits) {
        String name = file.toString();
        return parse(read(file, name, limits), file, name, limits, null).yaml();
    }

    /**
     * Loads a UTF-8 YAML file with the default limits, answered from {@code cache} when it holds a
     * record of exactly these bytes; a document parsed here is recorded there (see {@link YamlCache}).
     * The result is the same as {@link #load(Path)}'s, with the {@linkplain LoadedYaml#sha256() hash} of
     * the bytes loaded (taken from the record when it answers).
     *
     * @param file the file
     * @param cache the cache of loaded flows ({@link YamlCache#NONE}: parse every time)
     * @return the document and key positions
     * @throws YamlLoadException when the file cannot be read or parsed, or breaks a limit
     */
    public static LoadedYaml load(Path file, YamlCache cache) {
        String name = file.toString();
        byte[] bytes = read(file, name, DEFAULT_LIMITS);
        LoadedYaml known = cache.read(file, bytes, name);
        if (known != null) {
            return known;
        }
        Parsed parsed = parse(bytes, file, name, DEFAULT_LIMITS, Fingerprint.sha256Hex(bytes));
        if (parsed.plain()) {
            cache.write(file, bytes, parsed.yaml());
        }
        return parsed.yaml();
    }

    private static byte[] read(Path file, String name, Limits limits) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > 4L * limits.maxCodePoints()) {
                throw new YamlLoadException(name, 0, 0, "the file is " + size + " bytes, more than the limit of "
                        + limits.maxCodePoints() + " characters; shorten or split it", null);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new YamlLoadException(name, 0, 0, "no such file; check the path", e);
        } catch (IOException e) {
            throw new YamlLoadException(name, 0, 0, "cannot read the file: " + e.getMessage(), e);
        }
        return bytes;
    }

    /**
     * A parsed document and whether its positions follow its values one to one (no aliases, no
     * merge keys), the documents {@link YamlCache} records.
     */
    private record Parsed(LoadedYaml yaml, boolean plain) {
    }

    private static Parsed parse(byte[] bytes, Path file, String name, Limits limits, String sha256) {
        return parseText(decodeUtf8(bytes, name), file, name, limits, sha256);
    }

    /**
     * Loads YAML (or JSON) text with the default limits.
     *
     * @param text the document
     * @param name the name used in messages (e.g. a variable name)
     * @return the document and key positions ({@link LoadedYaml#file()} is null)
     * @throws YamlLoadException when the text cannot be parsed or breaks a limit
     */
    public static LoadedYaml loadString(String text, String name) {
        return parseText(text, null, name, DEFAULT_LIMITS, null).yaml();
    }

    /**
     * Loads YAML (or JSON) text.
     *
     * @param text the document
     * @param name the name used in messages
     * @param limits safety limits
     * @return the document and key positions
     * @throws YamlLoadException when the text cannot be parsed or breaks a limit
     */
    public static LoadedYaml loadString(String text, String name, Limits limits) {
        return parseText(text, null, name, limits, null).yaml();
    }

    /**
     * Strict UTF-8 decoding; the first malformed sequence is reported with its line, column and byte
     * offset.
     */
    static String decodeUtf8(byte[] bytes, String name) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            int offset = in.position();
            out.flip();
            int[] lc = lineColumn(out, out.length());
            throw new YamlLoadException(name, lc[0], lc[1], String.format("the file is not valid UTF-8 (byte 0x%02x at "
                    + "byte offset %d); save it as UTF-8", bytes[offset] & 0xff, offset), null);
        }
        out.flip();
        return out.toString();
    }

    /** 1-based line and column (in code points) of the char index {@code end} in {@code text}. */
    private static int[] lineColumn(CharSequence text, int end) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < end && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
            } else if (!Character.isLowSurrogate(c)) {
                col++;
            }
        }
        return new int[] {line, col};
    }

    private static Parsed parseText(String text, Path file, String name, Limits limits, String sha256) {
        if (text.length() > limits.maxCodePoints()
                && text.codePointCount(0, text.length()) > limits.maxCodePoints()) {
            throw new YamlLoadException(name, 0, 0, "the document has more than " + limits.maxCodePoints()
                    + " characters; shorten or split it", null);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        // the whole document in the reader's buffer: with the default 1 KiB window the scanner copies
        // the window for every refill inside a long scalar (a 5 MB quoted id took 15 s)
        LoadSettings settings = LoadSettings.builder().setLabel(name).setUseMarks(true)
                .setBufferSize(Math.max(text.length() + 1, 1024))
                .setCodePointLimit(Math.max(limits.maxCodePoints(), 1) + 16).setMaxAliasesForCollections(
                        Math.max(limits.maxAliases(), 0)).build();
        Builder b = new Builder(name, limits);
        try {
            for (Event e : new Parse(settings).parseString(text)) {
                b.accept(e);
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? String.valueOf(e.getContext()) : e.getProblem();
            throw new YamlLoadException(name, m.map(x -> x.getLine() + 1).orElse(0),
                    m.map(x -> x.getColumn() + 1).orElse(0), "invalid YAML: " + oneLine(problem), e);
        } catch (ReaderException e) {
            int index = text.offsetByCodePoints(0, Math.min(e.getPosition(), text.codePointCount(0, text.length())));
            int[] lc = lineColumn(text, index);
            throw new YamlLoadException(name, lc[0], lc[1], String.format("invalid YAML: character U+%04X is not "
                    + "allowed in YAML (%s); remove it or write it as an escape in a double-quoted string",
                    e.getCodePoint(), e.getCodePoint() == 0 ? "a NUL byte" : "a control or special character"), e);
        } catch (YamlEngineException e) {
            throw new YamlLoadException(name, 0, 0, "invalid YAML: " + oneLine(e.getMessage()), e);
        }
        Object data = b.result;
        if (data == null) {
            data = new LinkedHashMap<String, Object>();
        }
        return new Parsed(new LoadedYaml(data, file, b.positions, name, sha256), b.plain);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Marker for a pending {@code <<} key. */
    private static final String MERGE = "<<";

    /** A collection under construction. */
    private static final class Frame {
        final boolean map;
        final String loc;
        final String anchor;
        final int nodesAtStart;
        final Map<String, Object> entries;
        final List<Object> items;
        final Map<String, Integer> keyLines;
        final List<Object> merges = new ArrayList<>(0);
        String pendingKey;
        boolean hasKey;
        int mergeLine;
        int mergeColumn;

        Frame(boolean map, String loc, String anchor, int nodesAtStart) {
            this.map = map;
            this.loc = loc;
            this.anchor = anchor;
            this.nodesAtStart = nodesAtStart;
            this.entries = map ? new LinkedHashMap<>() : null;
            this.keyLines = map ? new HashMap<>() : null;
            this.items = map ? null : new ArrayList<>();
        }

        String childLoc() {
            if (map) {
                return loc.isEmpty() ? pendingKey : loc + "." + pendingKey;
            }
            return loc + "[" + items.size() + "]";
        }
    }

    /** An anchored value and how many values it stands for. */
    private record Anchored(Object value, int nodes, boolean collection) {
    }

    /** Turns parser events into values. */
    private static final class Builder {
        final String name;
        final Limits limits;
        final Deque<Frame> stack = new ArrayDeque<>();
        final Map<String, Anchored> anchors = new HashMap<>();
        final java.util.Set<String> open = new java.util.HashSet<>();
        final Map<String, LoadedYaml.Position> positions = new HashMap<>();
        int documents;
        int nodes;
        int aliases;
        /** No alias and no merge key so far. */
        boolean plain = true;
        Object result;

        Builder(String name, Limits limits) {
            this.name = name;
            this.limits = limits;
        }

        YamlLoadException error(Optional<Mark> mark, String problem) {
            return new YamlLoadException(name, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), problem, null);
        }

        void accept(Event e) {
            switch (e.getEventId()) {
                case DocumentStart -> {
                    if (++documents > 1) {
                        throw error(e.getStartMark(), "expected a single document but found another one;"
                                + " remove the extra '---'");
                    }
                    positions.put("", new LoadedYaml.Position(1, 1));
                }
                case Scalar -> scalar((ScalarEvent) e);
                case Alias -> alias((AliasEvent) e);
                case MappingStart, SequenceStart -> start((CollectionStartEvent) e);
                case MappingEnd, SequenceEnd -> end();
                default -> {
                }
            }
        }

        /** Where the next value goes, and its location; records the position. */
        private String beforeValue(Optional<Mark> mark) {
            Frame top = stack.peek();
            if (top == null) {
                return "";
            }
            String loc = top.childLoc();
            if (!top.map) {
                mark.ifPresent(m -> positions.putIfAbsent(loc, new LoadedYaml.Position(m.getLine() + 1,
                        m.getColumn() + 1)));
            }
            return loc;
        }

        private boolean expectingKey() {
            Frame top = stack.peek();
            return top != null && top.map && !top.hasKey;
        }

        private void countNodes(int n, Optional<Mark> mark) {
            nodes += n;
            if (nodes > limits.maxNodes()) {
                throw error(mark, "the document expands to more than " + limits.maxNodes()
                        + " values (aliases included); refusing to load it");
            }
        }

        void scalar(ScalarEvent e) {
            countNodes(1, e.getStartMark());
            if (expectingKey()) {
                Frame top = stack.peek();
                if (e.isPlain() && MERGE.equals(e.getValue()) && e.getTag().isEmpty()
                        || e.getTag().map(t -> t.equals(Tag.MERGE.getValue())).orElse(false)) {
                    top.pendingKey = MERGE;
                    top.hasKey = true;
                    plain = false;
                    Mark m = e.getStartMark().orElse(null);
                    top.mergeLine = m == null ? 0 : m.getLine() + 1;
                    top.mergeColumn = m == null ? 0 : m.getColumn() + 1;
                    return;
                }
                Object k = construct(e);
                anchor(e, k, 1, false);
                key(top, PyRepr.str(k), e.getStartMark());
                return;
            }
            Object value = construct(e);
            String loc = beforeValue(e.getStartMark());
            anchor(e, value, 1, false);
            add(value, loc, e.getStartMark());
        }

        private void key(Frame top, String key, Optional<Mark> mark) {
            Integer first = top.keyLines.get(key);
            if (first != null) {
                throw error(mark, "duplicate key '" + key + "' (first defined at line " + first
                        + "); remove one of them");
            }
            top.keyLines.put(key, mark.map(m -> m.getLine() + 1).orElse(0));
            top.pendingKey = key;
            top.hasKey = true;
            String loc = top.childLoc();
            mark.ifPresent(m -> positions.putIfAbsent(loc, new LoadedYaml.Position(m.getLine() + 1,
                    m.getColumn() + 1)));
        }

        void alias(AliasEvent e) {
            plain = false;
            String a = e.getAlias().getValue();
            if (open.contains(a)) {
                throw error(e.getStartMark(), "alias '*" + a + "' refers to a collection that contains it;"
                        + " recursive structures are not supported");
            }
            Anchored target = anchors.get(a);
            if (target == null) {
                throw error(e.getStartMark(), "unknown alias '*" + a + "'; define the anchor '&" + a
                        + "' before using it");
            }
            if (target.collection() && ++aliases > limits.maxAliases()) {
                throw error(e.getStartMark(), "more than " + limits.maxAliases()
                        + " aliases to collections; refusing to load (possible alias bomb)");
            }
            countNodes(target.nodes(), e.getStartMark());
            if (expectingKey()) {
                if (target.collection()) {
                    throw error(e.getStartMark(), "mapping keys must be plain values, not collections");
                }
                key(stack.peek(), PyRepr.str(target.value()), e.getStartMark());
                return;
            }
            String loc = beforeValue(e.getStartMark());
            add(copy(target.value()), loc, e.getStartMark());
        }

        void start(CollectionStartEvent e) {
            boolean map = e.getEventId() == Event.ID.MappingStart;
            if (expectingKey()) {
                throw error(e.getStartMark(), "mapping keys must be plain values, not collections");
            }
            String tag = e.getTag().orElse(null);
            if (tag != null && !tag.equals("!") && !tag.equals(map ? Tag.MAP.getValue() : Tag.SEQ.getValue())) {
                throw error(e.getStartMark(), "unsupported tag '" + tag + "'; only plain mappings, lists and"
                        + " scalars are allowed");
            }
            if (stack.size() + 1 > limits.maxDepth()) {
                throw error(e.getStartMark(), "nesting deeper than " + limits.maxDepth()
                        + " levels; refusing to load it");
            }
            countNodes(1, e.getStartMark());
            String loc = beforeValue(e.getStartMark());
            String anchor = e.getAnchor().map(x -> x.getValue()).orElse(null);
            if (anchor != null) {
                open.add(anchor);
            }
            stack.push(new Frame(map, loc, anchor, nodes));
        }

        void end() {
            Frame f = stack.pop();
            Object value;
            if (f.map) {
                if (f.hasKey) {
                    throw new YamlLoadException(name, 0, 0, "mapping ended without a value", null);
                }
                value = f.merges.isEmpty() ? f.entries : merged(f);
            } else {
                value = f.items;
            }
            if (f.anchor != null) {
                open.remove(f.anchor);
                anchors.put(f.anchor, new Anchored(value, nodes - f.nodesAtStart + 1, true));
            }
            add(value, f.loc, Optional.empty());
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> merged(Frame f) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object src : f.merges) {
                List<Object> maps = src instanceof List<?> l ? (List<Object>) l : List.of(src);
                for (Object m : maps) {
                    if (!(m instanceof Map<?, ?> mm)) {
                        throw new YamlLoadException(name, f.mergeLine, f.mergeColumn,
                                "a merge key '<<' needs a mapping or a list of mappings", null);
                    }
                    ((Map<String, Object>) mm).forEach(out::putIfAbsent);
                }
            }
            out.putAll(f.entries);
            return out;
        }

        private void anchor(NodeEvent e, Object value, int count, boolean collection) {
            e.getAnchor().ifPresent(a -> anchors.put(a.getValue(), new Anchored(value, count, collection)));
        }

        private void add(Object value, String loc, Optional<Mark> mark) {
            Frame top = stack.peek();
            if (top == null) {
                result = value;
                return;
            }
            if (top.map) {
                if (MERGE.equals(top.pendingKey) && !top.keyLines.containsKey(MERGE)) {
                    top.merges.add(value);
                } else {
                    top.entries.put(top.pendingKey, value);
                }
                top.pendingKey = null;
                top.hasKey = false;
            } else {
                top.items.add(value);
            }
        }

        private Object construct(ScalarEvent e) {
            String v = e.getValue();
            String tag = e.getTag().orElse(null);
            if (tag == null || "!".equals(tag)) {
                if (tag != null || !e.isPlain()) {
                    return v;
                }
                tag = Resolver.CORE.resolve(v, true).getValue();
            }
            try {
                if (tag.equals(Tag.STR.getValue())) {
                    return v;
                }
                if (tag.equals(Tag.NULL.getValue())) {
                    return null;
                }
                if (tag.equals(Tag.BOOL.getValue())) {
                    String l = v.toLowerCase(java.util.Locale.ROOT);
                    if (l.equals("true") || l.equals("false")) {
                        return l.equals("true");
                    }
                    throw new NumberFormatException(v);
                }
                if (tag.equals(Tag.INT.getValue())) {
                    return integer(v);
                }
                if (tag.equals(Tag.FLOAT.getValue())) {
                    return floating(v);
                }
            } catch (NumberFormatException ex) {
                throw error(e.getStartMark(), "value '" + v + "' does not match its tag '" + tag + "'");
            }
            throw error(e.getStartMark(), "unsupported tag '" + tag + "'; only plain mappings, lists and scalars"
                    + " are allowed");
        }

        private static Object integer(String v) {
            String s = v.replace("_", "");
            boolean neg = s.startsWith("-");
            if (neg || s.startsWith("+")) {
                s = s.substring(1);
            }
            BigInteger b;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                b = new BigInteger(s.substring(2), 16);
            } else if (s.startsWith("0o") || s.startsWith("0O")) {
                b = new BigInteger(s.substring(2), 8);
            } else {
                b = new BigInteger(s);
            }
            if (neg) {
                b = b.negate();
            }
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }

        private static Double floating(String v) {
            String l = v.toLowerCase(java.util.Locale.ROOT);
            return switch (l) {
                case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                case "-.inf" -> Double.NEGATIVE_INFINITY;
                case ".nan" -> Double.NaN;
                default -> Double.parseDouble(v.replace("_", ""));
            };
        }

        /** Deep copy of an aliased value, so the loaded tree has no shared containers. */
        @SuppressWarnings("unchecked")
        private static Object copy(Object v) {
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<String, Object>) m).forEach((k, x) -> out.put(k, copy(x)));
                return out;
            }
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(x -> out.add(copy(x)));
                return out;
            }
            return v;
        }
    }
}
