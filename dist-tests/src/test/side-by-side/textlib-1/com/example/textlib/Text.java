package com.example.textlib;

import java.util.Locale;

/** textlib 1.0.0: static helpers. */
public final class Text {

    private Text() {
    }

    /** @return this library's version */
    public static String version() {
        return "1.0.0";
    }

    /** @return the text in upper case with an exclamation mark */
    public static String shout(String s) {
        return s.toUpperCase(Locale.ROOT) + "!";
    }
}
