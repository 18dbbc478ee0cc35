package com.example.textlib;

/** textlib 2.0.0: an instance API; {@code shout} is gone (a breaking change, hence the major version). */
public final class Text {

    private final String fence;

    /** @param fence what {@link #decorate} puts around a text */
    public Text(String fence) {
        this.fence = fence;
    }

    /** @return this library's version */
    public static String version() {
        return "2.0.0";
    }

    /** @return the text between two fences */
    public String decorate(String s) {
        return fence + s + fence;
    }
}
