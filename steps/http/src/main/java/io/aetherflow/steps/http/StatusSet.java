package io.aetherflow.steps.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code expected_status} input: codes ({@code 200}), classes ({@code 2xx}) and ranges
 * ({@code 200-204}), as a list or a comma-separated string. Default {@code 2xx}.
 */
record StatusSet(List<String> terms) {

    static final StatusSet DEFAULT = new StatusSet(List.of("2xx"));

    /**
     * @param raw a number, a string or a list of them; null for the default
     * @return the set
     * @throws IllegalArgumentException naming the bad term
     */
    static StatusSet parse(Object raw) {
        if (raw == null) {
            return DEFAULT;
        }
        List<Object> items = new ArrayList<>();
        if (raw instanceof List<?> l) {
            items.addAll(l);
        } else if (raw instanceof String s) {
            for (String p : s.split(",")) {
                items.add(p);
            }
        } else {
            items.add(raw);
        }
        List<String> terms = new ArrayList<>();
        for (Object o : items) {
            String t = String.valueOf(o).trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (!t.matches("[1-5]xx|[1-5][0-9][0-9]|[1-5][0-9][0-9]\\s*-\\s*[1-5][0-9][0-9]")) {
                throw new IllegalArgumentException("'" + o + "' is not a status code, class (2xx) or range (200-299)");
            }
            terms.add(t.replace(" ", ""));
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("no status code given");
        }
        return new StatusSet(List.copyOf(terms));
    }

    boolean matches(int status) {
        for (String t : terms) {
            if (t.endsWith("xx")) {
                if (status / 100 == t.charAt(0) - '0') {
                    return true;
                }
            } else if (t.contains("-")) {
                String[] p = t.split("-");
                if (status >= Integer.parseInt(p[0]) && status <= Integer.parseInt(p[1])) {
                    return true;
                }
            } else if (status == Integer.parseInt(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", terms);
    }
}
