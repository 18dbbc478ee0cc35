package io.aetherflow.runtime.env;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces known secret values with {@code ***} in any text. One instance per run; thread-safe.
 * Registration copies an immutable array (rare); {@link #mask(String)} reads it without locking and
 * uses plain {@code indexOf}, so it is cheap enough for every log line. Overlapping occurrences of
 * different secrets are merged into one {@code ***}, so no fragment of either leaks.
 */
public final class SecretMasker {

    /** The replacement text. */
    public static final String MASK = "***";

    /** Values shorter than this are not registered: masking them would shred ordinary text. */
    public static final int MIN_LENGTH = 3;

    private static final String[] SECRET_NAME_PARTS = {
        "PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "API_KEY", "CREDENTIAL"};

    /** Flag-like values of secret-named variables (e.g. {@code USE_TOKEN=true}) that are not secrets. */
    private static final Set<String> NOT_SECRET_VALUES = Set.of(
            "true", "false", "yes", "no", "none", "null", "on", "off");

    private volatile String[] secrets = new String[0];

    /**
     * Registers a secret value and its {@linkplain #parts fragments} (lines of a multi-line value, URL
     * userinfo and query-string values). Null, empty and values shorter than {@value #MIN_LENGTH}
     * characters are ignored.
     *
     * @param secret the value
     */
    public void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        addOne(secret);
        for (String part : parts(secret)) {
            addOne(part);
        }
    }

    /**
     * The fragments of a secret that are masked on their own, because they show up in text without
     * the rest of the value: each line of a multi-line value (stripped), and for every URL in the
     * value ({@code scheme://...}) its userinfo ({@code user:password}), its password, each
     * query-string value (raw and percent-decoded), and the URL without userinfo, query and fragment
     * ({@code scheme://host[:port]/path}, with and without a trailing {@code /}), which is how HTTP
     * clients show a URL in errors. Fragments shorter than {@value #MIN_LENGTH}
     * characters and flag words are left out.
     *
     * @param secret the whole value
     * @return the fragments (may repeat or include the value itself)
     */
    static List<String> parts(String secret) {
        List<String> out = new ArrayList<>();
        if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
            for (String line : secret.split("\r?\n|\r")) {
                out.add(line.strip());
            }
        }
        int from = 0;
        int scheme;
        while ((scheme = secret.indexOf("://", from)) >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < secret.length() && !Character.isWhitespace(secret.charAt(end))
                    && "\"'<>".indexOf(secret.charAt(end)) < 0) {
                end++;
            }
            int schemeStart = scheme;
            while (schemeStart > 0 && isSchemeChar(secret.charAt(schemeStart - 1))) {
                schemeStart--;
            }
            urlParts(secret.substring(schemeStart, scheme), secret.substring(start, end), out);
            from = end;
        }
        out.removeIf(p -> p.length() < MIN_LENGTH || isFlagLike(p));
        return out;
    }

    private static boolean isSchemeChar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
    }

    /**
     * Userinfo, query values and the URL without userinfo, query and fragment (what a client shows
     * of it in a message) of the part of a URL after {@code scheme://}.
     */
    private static void urlParts(String scheme, String rest, List<String> out) {
        int slash = indexOfAny(rest, "/?#");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        int pathEnd = indexOfAny(rest, "?#");
        String hostAndPath = rest.substring(at + 1, pathEnd < 0 ? rest.length() : pathEnd);
        if (!scheme.isEmpty() && !hostAndPath.isEmpty()) {
            String shown = scheme + "://" + hostAndPath;
            out.add(shown);
            if (shown.endsWith("/")) {
                out.add(shown.substring(0, shown.length() - 1));
            }
        }
        if (at > 0) {
            String userinfo = authority.substring(0, at);
            out.add(userinfo);
            int colon = userinfo.indexOf(':');
            if (colon >= 0) {
                addDecoded(userinfo.substring(colon + 1), out);
            }
        }
        int q = rest.indexOf('?');
        if (q < 0) {
            return;
        }
        int hash = rest.indexOf('#', q);
        String query = rest.substring(q + 1, hash < 0 ? rest.length() : hash);
        for (String pair : query.split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq >= 0) {
                addDecoded(pair.substring(eq + 1), out);
            }
        }
    }

    private static void addDecoded(String raw, List<String> out) {
        out.add(raw);
        try {
            String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            if (!decoded.equals(raw)) {
                out.add(decoded);
            }
        } catch (IllegalArgumentException e) {
            // not valid percent-encoding: the raw form is registered
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private void addOne(String secret) {
        if (secret.length() < MIN_LENGTH) {
            return;
        }
        synchronized (this) {
            String[] current = secrets;
            for (String s : current) {
                if (s.equals(secret)) {
                    return;
                }
            }
            String[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = secret;
            Arrays.sort(next, Comparator.comparingInt(String::length).reversed());
            secrets = next;
        }
    }

    /**
     * Registers the values of variables whose name looks secret: it contains PASSWORD, PASSWD,
     * SECRET, TOKEN, APIKEY, API_KEY or CREDENTIAL (case-insensitive). The engine's own
     * {@code AETHERFLOW_SECRETS_*} settings (a program path, a provider name) and flag-like values
     * ({@code true}, {@code false}, {@code yes}, {@code no}, {@code on}, {@code off}, {@code none},
     * {@code null}) are skipped.
     *
     * @param env an environment snapshot
     */
    public void addEnvSecrets(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            if (value != null && isSecretName(e.getKey()) && !isFlagLike(value)) {
                add(value);
            }
        }
    }

    /** Whether a value is a flag word (true, off, none, ...) rather than a secret. */
    static boolean isFlagLike(String value) {
        return NOT_SECRET_VALUES.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * @param name a variable name
     * @return whether values of this variable are treated as secrets
     */
    public static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("AETHERFLOW_SECRETS_")) {
            return false;
        }
        for (String part : SECRET_NAME_PARTS) {
            if (upper.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Masks every registered secret.
     *
     * @param text any text, may be null
     * @return the text with each occurrence of a secret (and any run of overlapping or adjacent
     *     occurrences) replaced by {@code ***}; the same instance when nothing matched
     */
    public String mask(String text) {
        String[] current = secrets;
        if (text == null || current.length == 0 || text.length() < MIN_LENGTH) {
            return text;
        }
        boolean[] hit = null;
        for (String s : current) {
            if (s.length() > text.length()) {
                continue;
            }
            int from = 0;
            int i;
            while ((i = text.indexOf(s, from)) >= 0) {
                if (hit == null) {
                    hit = new boolean[text.length()];
                }
                Arrays.fill(hit, i, i + s.length(), true);
                from = i + 1;
            }
        }
        if (hit == null) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (hit[i]) {
                sb.append(MASK);
                while (i < text.length() && hit[i]) {
                    i++;
                }
            } else {
                sb.append(text.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** @return whether no secret is registered */
    public boolean isEmpty() {
        return secrets.length == 0;
    }

    /** @return the number of registered secrets */
    public int size() {
        return secrets.length;
    }
}
