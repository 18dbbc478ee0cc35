package io.aetherflow.runtime;

import java.util.Comparator;

/** String order by Unicode code point, as Python compares and sorts strings (Java's compareTo uses UTF-16 units). */
public final class CodePoints {

    /** Orders strings by code point; a proper prefix comes first. */
    public static final Comparator<String> ORDER = CodePoints::compare;

    private CodePoints() {
    }

    /**
     * @param a a string
     * @param b another
     * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
