package io.aetherflow.runtime.yaml;

import io.aetherflow.runtime.LazyMap;
import io.aetherflow.runtime.spec.Issue;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A loaded YAML document with the position of every key and list item.
 *
 * @param data the document: LinkedHashMap (String keys), ArrayList, String, Long (BigInteger when
 *     larger), Double, Boolean or null; an empty document is an empty map
 * @param file the file it came from, or null for text loaded with
 *     {@link YamlLoader#loadString(String, String)}
 * @param positions location (catalog {@code loc} format: {@code flow.id},
 *     {@code jobs[0].steps[1].inputs.command}; the empty string for the document) to its position
 * @param source the name used in messages: the file path as given, or the label
 * @param sha256 the lower-case hex SHA-256 of the file's bytes as loaded, or null (text, or a file
 *     loaded without {@link YamlLoader#load(Path, YamlCache)})
 */
public record LoadedYaml(Object data, Path file, Map<String, Position> positions, String source, String sha256) {

    /**
     * A 1-based line and column.
     *
     * @param line line
     * @param column column
     */
    public record Position(int line, int column) {
    }

    /**
     * Copies the positions map (not the lazily built positions of a cache record, which nothing can
     * change). A hash map copy: a flow of a thousand steps has tens of thousands of positions, and
     * {@code Map.copyOf} builds its table noticeably slower.
     */
    public LoadedYaml {
        if (!(positions instanceof LazyMap)) {
            positions = Collections.unmodifiableMap(new HashMap<>(positions));
        }
    }

    /**
     * A document without a content hash.
     *
     * @param data the document
     * @param file the file it came from, or null
     * @param positions location to position
     * @param source the name used in messages
     */
    public LoadedYaml(Object data, Path file, Map<String, Position> positions, String source) {
        this(data, file, positions, source, null);
    }

    /**
     * The position of a location, or of its nearest parent that has one.
     *
     * @param loc e.g. {@code jobs[0].steps[1].inputs.command}, or {@code <root>}
     * @return the position; null only when the document has none at all
     */
    public Position position(String loc) {
        String cur = loc == null || "<root>".equals(loc) ? "" : loc;
        while (true) {
            Position p = positions.get(cur);
            if (p != null || cur.isEmpty()) {
                return p;
            }
            cur = parent(cur);
        }
    }

    /**
     * The parent of a location: {@code a.b[0].c} → {@code a.b[0]} → {@code a.b} → {@code a} → empty.
     *
     * @param loc a location
     * @return its parent (empty string for top-level keys)
     */
    public static String parent(String loc) {
        int cut = loc.endsWith("]") ? loc.lastIndexOf('[') : loc.lastIndexOf('.');
        return cut <= 0 ? "" : loc.substring(0, cut);
    }

    /**
     * An issue carrying this document's file and the position of {@code loc}.
     *
     * @param code issue code
     * @param loc location ({@code <root>} for the document)
     * @param msg message
     * @return the issue
     */
    public Issue issue(String code, String loc, String msg) {
        Position p = position(loc);
        return new Issue(code, loc, msg, source, p == null ? 0 : p.line(), p == null ? 0 : p.column());
    }
}
