package io.aetherflow.runtime.env;

import io.aetherflow.api.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads env files with the reference's rules:
 * <ul>
 * <li>{@code dotenv}: lines trimmed; blank and {@code #} lines skipped; lines without {@code =}
 * skipped; split at the first {@code =}; key and value trimmed; one pair of matching surrounding
 * {@code "} or {@code '} removed; empty keys skipped. No {@code export}, inline comments, escapes or
 * interpolation.</li>
 * <li>{@code json}: a top-level object; null values skipped; maps/lists re-encoded as JSON text;
 * other values as Python {@code str()} ({@code true} becomes {@code True}).</li>
 * <li>{@code dir} / {@code directory} / {@code dir-of-files}: regular files directly inside the
 * directory, sorted by name; key = file name; value = file text without trailing newlines.</li>
 * </ul>
 * Every key gets the spec's prefix; later files override earlier ones.
 */
public final class EnvFiles {

    private EnvFiles() {
    }

    /**
     * Loads env files in order and merges them (later files win).
     *
     * @param specs the files
     * @param baseDir directory relative paths resolve against
     * @return the merged variables, in first-seen key order
     * @throws EnvFileException when a non-optional file is missing, a type is unsupported or a file
     *     is malformed or unreadable
     */
    public static Map<String, String> load(List<EnvFileSpec> specs, Path baseDir) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (EnvFileSpec spec : specs) {
            merged.putAll(loadOne(spec, baseDir));
        }
        return merged;
    }

    /**
     * Loads one env file.
     *
     * @param spec the file
     * @param baseDir directory a relative path resolves against
     * @return its variables (prefixed), in file order; empty when optional and missing
     * @throws EnvFileException as for {@link #load(List, Path)}
     */
    public static Map<String, String> loadOne(EnvFileSpec spec, Path baseDir) {
        String type = spec.type().trim().toLowerCase(Locale.ROOT);
        if (!type.equals("dotenv") && !type.equals("json") && !type.equals("dir") && !type.equals("directory")
                && !type.equals("dir-of-files")) {
            throw new EnvFileException("Unsupported env_files type: " + spec.type() + " (path " + spec.path()
                    + "); use dotenv, json or dir");
        }
        Path path = baseDir.resolve(spec.path()).normalize();
        if (!Files.exists(path)) {
            if (spec.optional()) {
                return Map.of();
            }
            throw new EnvFileException("Env file not found: " + path + " (fix the path or set optional: true)");
        }
        Map<String, String> raw;
        try {
            raw = switch (type) {
                case "dotenv" -> parseDotenv(Files.readString(path, StandardCharsets.UTF_8));
                case "json" -> parseJsonFile(Files.readString(path, StandardCharsets.UTF_8), path);
                default -> readDir(path);
            };
        } catch (IOException e) {
            throw new EnvFileException("Cannot read env file " + path + ": " + e, e);
        }
        if (spec.prefix().isEmpty()) {
            return raw;
        }
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(spec.prefix() + k, v));
        return out;
    }

    /**
     * Parses dotenv text (rules in the class comment).
     *
     * @param text file content
     * @return the pairs in file order (a repeated key keeps its last value)
     */
    public static Map<String, String> parseDotenv(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : (Iterable<String>) text.lines()::iterator) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = t.substring(0, eq).strip();
            String value = t.substring(eq + 1).strip();
            if (value.length() >= 2) {
                char first = value.charAt(0);
                if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                    value = value.substring(1, value.length() - 1);
                }
            }
            if (!key.isEmpty()) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static Map<String, String> parseJsonFile(String text, Path path) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new EnvFileException("Env file " + path + ": invalid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new EnvFileException("json env file must be a JSON object: " + path);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() != null) {
                out.put(String.valueOf(e.getKey()), PyText.str(e.getValue()));
            }
        }
        return out;
    }

    private static Map<String, String> readDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new EnvFileException("Env file path is not a directory: " + dir + " (type dir needs a directory)");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        Map<String, String> out = new LinkedHashMap<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            out.put(f.getFileName().toString(), text.substring(0, end));
        }
        return out;
    }
}
