package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.nio.file.Path;

/**
 * A locked bundle whose jar was found and matched its sha256.
 *
 * @param entry the lock line
 * @param file the jar (absolute)
 */
public record VerifiedBundle(LockedBundle entry, Path file) {

    /** @return the framework location: a {@code reference:} URL, so the jar is used in place, never copied */
    public String location() {
        return "reference:" + file.toUri();
    }

    /** @return {@code symbolic-name version} for messages */
    public String label() {
        return entry.symbolicName() + " " + entry.version();
    }
}
