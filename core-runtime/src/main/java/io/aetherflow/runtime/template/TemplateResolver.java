package io.aetherflow.runtime.template;

import io.aetherflow.api.support.PyRepr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The single strict template resolver (catalog §2). Tokens are {@code {{PATH}}} and
 * {@code {{PATH:DEFAULT}}}; PATH is dotted identifiers looked up through maps only; an empty string
 * counts as missing; a missing value without default is an error in every phase. A string that is
 * exactly one token yields the native value; anything else yields a string rendered like Python's
 * {@code str()}. Stateless and thread-safe.
 */
public final class TemplateResolver {

    private static final String[] FORBIDDEN = {"${", "{%", "%}", "{#", "#}", "{}"};
    private static final Object MISSING = new Object();
    private static final int EXCERPT = 120;

    private TemplateResolver() {
    }

    /**
     * Renders a value deeply: strings inside maps and lists are rendered, map keys never, other
     * scalars are returned unchanged. The input is not modified (new containers are built).
     *
     * @param value a YAML-shaped value
     * @param phase the phase (decides the allowed roots)
     * @param roots the context: root name to value (maps for {@code env}, {@code steps}, ...)
     * @return the rendered value
     * @throws TemplateSyntaxException on unsupported syntax or a root not allowed in the phase
     * @throws TemplateMissingKeyException when a value is missing and no default is given
     */
    public static Object render(Object value, Phase phase, Map<String, Object> roots) {
        return render(value, phase, roots, Set.of());
    }

    /**
     * Like {@link #render(Object, Phase, Map)}, but a missing value under one of
     * {@code lenientRoots} renders as null (standalone) or an empty string (inline) instead of
     * failing. Used by validation, where step outputs are not known yet.
     *
     * @param value a YAML-shaped value
     * @param phase the phase
     * @param roots the context
     * @param lenientRoots roots whose missing values are tolerated
     * @return the rendered value
     * @throws TemplateSyntaxException on unsupported syntax
     * @throws TemplateMissingKeyException when a value outside {@code lenientRoots} is missing
     */
    public static Object render(Object value, Phase phase, Map<String, Object> roots, Set<String> lenientRoots) {
        if (value instanceof String s) {
            return renderValue(s, phase, roots, lenientRoots);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), render(e.getValue(), phase, roots, lenientRoots));
            }
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(render(o, phase, roots, lenientRoots));
            }
            return out;
        }
        return value;
    }

    /**
     * Renders one string and always returns text: a standalone token's native value is converted
     * with Python {@code str()} semantics.
     *
     * @param s the string
     * @param phase the phase
     * @param roots the context
     * @return the rendered text
     * @throws TemplateSyntaxException on unsupported syntax
     * @throws TemplateMissingKeyException when a value is missing and no default is given
     */
    public static String renderString(String s, Phase phase, Map<String, Object> roots) {
        return PyRepr.str(renderValue(s, phase, roots, Set.of()));
    }

    /**
     * Lists every token of every string inside a value (deeply), with the location of the string.
     * Malformed tokens are listed as far as a root can be read; nothing is resolved.
     *
     * @param value a YAML-shaped value
     * @param loc the location of {@code value}, e.g. {@code jobs[0].steps[1].inputs}; null: no
     *     locations are built (every token's {@link TemplateRef#loc()} is null), for a caller that
     *     needs them only when a token is wrong
     * @return tokens in document order
     */
    public static List<TemplateRef> scan(Object value, String loc) {
        List<TemplateRef> out = new ArrayList<>();
        scan(value, loc, out);
        return out;
    }

    private static void scan(Object value, String loc, List<TemplateRef> out) {
        if (value instanceof String s) {
            int pos = 0;
            while (true) {
                int open = s.indexOf("{{", pos);
                if (open < 0) {
                    return;
                }
                int close = s.indexOf("}}", open + 2);
                if (close < 0) {
                    return;
                }
                String inner = s.substring(open + 2, close).trim();
                int colon = inner.indexOf(':');
                String path = (colon < 0 ? inner : inner.substring(0, colon)).trim();
                int dot = path.indexOf('.');
                String root = dot < 0 ? path : path.substring(0, dot);
                if (!root.isEmpty() && root.indexOf('{') < 0) {
                    out.add(new TemplateRef(loc, root, path));
                }
                pos = close + 2;
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                scan(e.getValue(), loc == null ? null : loc + "." + e.getKey(), out);
            }
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                scan(o, loc == null ? null : loc + "[" + i + "]", out);
                i++;
            }
        }
    }

    /**
     * Whether a raw string contains template braces ({@code {{} or {@code }}}).
     *
     * @param s text
     * @return true if it does
     */
    public static boolean hasTemplate(String s) {
        return s.contains("{{") || s.contains("}}");
    }

    /**
     * Whether a raw string is exactly one token, surrounding whitespace allowed (the decode rule).
     *
     * @param s text
     * @return true for e.g. {@code " {{env.PASS}} "}
     */
    public static boolean isStandaloneToken(String s) {
        String t = s.strip();
        return t.startsWith("{{") && t.endsWith("}}") && t.length() >= 4
                && noBraces(t, 2, t.length() - 2);
    }

    private static boolean noBraces(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '}') {
                return false;
            }
        }
        return true;
    }

    private static Object renderValue(String s, Phase phase, Map<String, Object> roots, Set<String> lenient) {
        rejectForbidden(s, false);
        if (!hasTemplate(s)) {
            return s;
        }
        int n = s.length();
        if (n >= 4 && s.startsWith("{{") && s.endsWith("}}") && noBraces(s, 2, n - 2)) {
            // Standalone token: native value; the default keeps its spaces.
            String inner = s.substring(2, n - 2);
            int colon = inner.indexOf(':');
            String path = (colon < 0 ? inner : inner.substring(0, colon)).trim();
            String dflt = colon < 0 ? null : inner.substring(colon + 1);
            checkPath(path, s, phase);
            Object v = lookup(path, roots);
            if (v != MISSING) {
                return v;
            }
            if (dflt != null) {
                return dflt;
            }
            if (lenient.contains(rootOf(path))) {
                return null;
            }
            throw new TemplateMissingKeyException(path);
        }
        StringBuilder out = new StringBuilder(n + 32);
        int pos = 0;
        while (true) {
            int open = s.indexOf("{{", pos);
            if (open < 0) {
                break;
            }
            int stray = s.indexOf("}}", pos);
            if (stray >= 0 && stray < open) {
                throw new TemplateSyntaxException("'}}' without an opening '{{' before the next token in "
                        + excerpt(s));
            }
            int close = s.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateSyntaxException("'{{' is never closed with '}}' in " + excerpt(s));
            }
            String inner = s.substring(open + 2, close).trim();
            if (inner.isEmpty()) {
                throw new TemplateSyntaxException("empty template token in " + excerpt(s));
            }
            if (inner.indexOf('{') >= 0 || inner.indexOf('}') >= 0) {
                throw new TemplateSyntaxException("braces inside a template token in " + excerpt(s));
            }
            int colon = inner.indexOf(':');
            String path = (colon < 0 ? inner : inner.substring(0, colon)).trim();
            String dflt = colon < 0 ? null : inner.substring(colon + 1);
            checkPath(path, s, phase);
            out.append(s, pos, open);
            Object v = lookup(path, roots);
            if (v != MISSING) {
                out.append(PyRepr.str(v));
            } else if (dflt != null) {
                out.append(dflt);
            } else if (!lenient.contains(rootOf(path))) {
                throw new TemplateMissingKeyException(path);
            }
            pos = close + 2;
        }
        out.append(s, pos, n);
        String result = out.toString();
        rejectForbidden(result, true);
        return result;
    }

    private static void rejectForbidden(String s, boolean rendered) {
        for (String f : FORBIDDEN) {
            if (s.contains(f)) {
                throw new TemplateSyntaxException(rendered
                        ? "the rendered text contains the forbidden sequence '" + f
                                + "' (e.g. an empty mapping rendered inline)"
                        : "forbidden sequence '" + f + "' in " + excerpt(s));
            }
        }
    }

    private static void checkPath(String path, String s, Phase phase) {
        if (path.isEmpty()) {
            throw new TemplateSyntaxException("empty path in template token in " + excerpt(s));
        }
        int start = 0;
        int len = path.length();
        while (start <= len) {
            int dot = path.indexOf('.', start);
            int end = dot < 0 ? len : dot;
            if (!identifier(path, start, end)) {
                throw new TemplateSyntaxException("invalid path '" + path + "' in " + excerpt(s)
                        + "; use dotted names like env.NAME (no indexes, filters, spaces or expressions)");
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        String root = rootOf(path);
        if (!phase.allowedRoots().contains(root)) {
            throw new TemplateSyntaxException("unknown root '" + root + "' in " + excerpt(s) + "; allowed here: "
                    + String.join(", ", new TreeSet<>(phase.allowedRoots())));
        }
    }

    private static boolean identifier(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        int cp = s.codePointAt(from);
        if (!(Character.isLetter(cp) || cp == '_')) {
            return false;
        }
        for (int i = from + Character.charCount(cp); i < to; ) {
            cp = s.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || cp == '_')) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static String rootOf(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static Object lookup(String path, Map<String, Object> roots) {
        Object cur = roots;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return MISSING;
            }
            cur = m.get(key);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return "".equals(cur) ? MISSING : cur;
    }

    private static String excerpt(String s) {
        String t = s.length() > EXCERPT ? s.substring(0, EXCERPT) + "..." : s;
        return "'" + t.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }
}
