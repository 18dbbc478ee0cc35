package io.aetherflow.runtime.observe;

import java.util.Locale;

/** Log levels with the reference's names ({@code WARNING}, not {@code WARN}). */
public enum LogLevel {
    /** Diagnostics, stack traces. */
    DEBUG,
    /** Normal progress. */
    INFO,
    /** Something looks wrong but the run goes on. */
    WARNING,
    /** A failure. */
    ERROR;

    /**
     * Parses a level name; unknown names give INFO (as the reference does).
     *
     * @param name e.g. {@code debug}, {@code WARN}, {@code warning}
     * @return the level
     */
    public static LogLevel parse(String name) {
        if (name == null) {
            return INFO;
        }
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "DEBUG":
                return DEBUG;
            case "WARN":
            case "WARNING":
                return WARNING;
            case "ERROR":
            case "CRITICAL":
                return ERROR;
            default:
                return INFO;
        }
    }
}
