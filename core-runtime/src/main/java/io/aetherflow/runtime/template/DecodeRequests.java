package io.aetherflow.runtime.template;

import io.aetherflow.api.support.PyRepr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a resource's {@code decode} mapping (catalog §1.3): {@code decode.config} /
 * {@code decode.options} are nested maps whose leaves are {@code true} (decode) or
 * {@code false}/null (ignore); {@code decode.config_paths} / {@code decode.options_paths} are lists of
 * dotted paths. Requests are de-duplicated keeping first-seen order.
 */
public final class DecodeRequests {

    /** Message of the run-time and validation rule that a decoded value must be one token. */
    public static final String STANDALONE_MESSAGE =
            "Decode target must be a standalone template token like '{{TOKEN}}' (no prefix/suffix).";

    private static final String[] SECTIONS = {"config", "options"};

    private DecodeRequests() {
    }

    /**
     * Collects the decode requests.
     *
     * @param decode the decode mapping (null means none)
     * @return requests in first-seen order, without duplicates
     * @throws TemplateSyntaxException when a leaf is not a boolean/null, a key is not a string, or a
     *     paths entry is not a list of non-empty strings
     */
    public static List<DecodeRequest> collect(Map<String, ?> decode) {
        if (decode == null || decode.isEmpty()) {
            return List.of();
        }
        Set<DecodeRequest> out = new LinkedHashSet<>();
        for (String section : SECTIONS) {
            Object tree = decode.get(section);
            if (tree != null) {
                if (!(tree instanceof Map<?, ?> m)) {
                    throw new TemplateSyntaxException("decode." + section
                            + " must be a mapping whose leaves are true or false");
                }
                walk(m, section, new ArrayList<>(), out);
            }
            Object paths = decode.get(section + "_paths");
            if (paths != null) {
                if (!(paths instanceof List<?> l)) {
                    throw new TemplateSyntaxException("decode." + section + "_paths must be a list of dotted paths");
                }
                for (Object p : l) {
                    if (!(p instanceof String s) || s.isBlank()) {
                        throw new TemplateSyntaxException("decode." + section
                                + "_paths entries must be non-empty dotted path strings; got " + PyRepr.repr(p));
                    }
                    out.add(new DecodeRequest(section, Arrays.asList(s.trim().split("\\.", -1))));
                }
            }
        }
        return List.copyOf(out);
    }

    private static void walk(Map<?, ?> m, String section, List<String> prefix, Set<DecodeRequest> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new TemplateSyntaxException("decode." + section + " keys must be strings; got "
                        + PyRepr.repr(e.getKey()));
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(k);
            Object v = e.getValue();
            if (v instanceof Map<?, ?> inner) {
                walk(inner, section, path, out);
            } else if (Boolean.TRUE.equals(v)) {
                out.add(new DecodeRequest(section, path));
            } else if (v != null && !Boolean.FALSE.equals(v)) {
                throw new TemplateSyntaxException("decode." + section + "." + String.join(".", path)
                        + " must be true or false; got " + PyRepr.repr(v));
            }
        }
    }

    /**
     * Reads the value at a request's path.
     *
     * @param section the {@code config} or {@code options} mapping
     * @param request the request
     * @return the value, or null when a key on the way is absent or not a mapping
     */
    public static Object valueAt(Map<String, ?> section, DecodeRequest request) {
        Object cur = section;
        for (String k : request.path()) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(k)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }
}
