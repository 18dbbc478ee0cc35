package io.aetherflow.runtime.run;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.spec.SafeIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;

/** Run and flow ids: generation and the checks that keep them inside the workspace. */
public final class RunIds {

    private RunIds() {
    }

    private static final Path URANDOM = Path.of("/dev/urandom");

    /**
     * A new run id: 12 random hex characters, as the reference's {@code uuid4().hex[:12]} (the first 48 bits of
     * a version-4 UUID are all random). They are read from {@code /dev/urandom}, the kernel source that
     * {@link java.security.SecureRandom} reads too, without initialising the security providers behind
     * {@link UUID#randomUUID()} (5-10 ms of a run's start-up); without {@code /dev/urandom}, from a UUID.
     *
     * @return the id
     */
    public static String newRunId() {
        byte[] b = new byte[6];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(b, 0, b.length) == b.length) {
                return HexFormat.of().formatHex(b);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /dev/urandom here (not Unix-like): the JDK's generator
        }
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Checks that an id is safe as one path segment ({@link SafeIds}).
     *
     * @param what what the id is, for the message (e.g. {@code --run-id})
     * @param id the id
     * @return the id
     * @throws UserError (exit 2) when unsafe
     */
    public static String checkSegment(String what, String id) {
        String problem = SafeIds.problem(id);
        if (problem != null) {
            throw new UserError(ExitCodes.INVALID, what + " " + Quote.q(id) + " is not a safe id: it " + problem
                    + "; " + SafeIds.RULE + " (it becomes a directory name in the workspace)");
        }
        return id;
    }
}
