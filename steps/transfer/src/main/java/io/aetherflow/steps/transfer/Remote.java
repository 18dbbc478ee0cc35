package io.aetherflow.steps.transfer;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers shared by the transfer steps: connector lookup (with its notices), file lists, messages. */
final class Remote {

    private Remote() {
    }

    /**
     * The resource's remote-files connector; its pending notices (e.g. host key checking disabled)
     * go to the run log as warnings.
     */
    static RemoteFiles connector(StepContext ctx, String resource) {
        RemoteFiles f = ctx.connector(resource, RemoteFiles.class);
        for (String notice : f.takeNotices()) {
            ctx.log("WARNING", notice);
        }
        return f;
    }

    /** A step failure from a connector error, masked, prefixed by the step type. */
    static StepFailedException failed(StepContext ctx, String type, ConnectorException e) {
        return new StepFailedException(type + ": " + ctx.mask(e.getMessage()), e);
    }

    /**
     * Reads the {@code files} input: maps as produced by a list step ({@code path} required,
     * {@code rel_path}/{@code name} optional) or plain path strings.
     */
    static List<RemoteFile> files(StepContext ctx, String type, String input) {
        List<RemoteFile> out = new ArrayList<>();
        int i = 0;
        for (Object o : ctx.inputs().list(input)) {
            if (o instanceof Map<?, ?> m) {
                try {
                    out.add(RemoteFile.fromMap(m));
                } catch (IllegalArgumentException e) {
                    throw new StepInputException(type + ": inputs." + input + "[" + i + "]: " + e.getMessage());
                }
            } else if (o instanceof RemoteFile rf) {
                out.add(rf);
            } else if (o instanceof String s && !s.isBlank()) {
                String name = RemoteFile.lastSegment(s);
                out.add(new RemoteFile(name, s, name, false, null, null, null));
            } else {
                throw new StepInputException(type + ": inputs." + input + "[" + i + "] must be a file entry (a mapping"
                        + " with 'path', as " + type.substring(0, type.indexOf('_')) + "_list_files returns) or a remote path, found "
                        + (o == null ? "null" : o.getClass().getSimpleName()));
            }
            i++;
        }
        return out;
    }

    /**
     * {@code remote_dir} with trailing {@code /} removed (and {@code \} too for SMB paths);
     * {@code /} when nothing is left.
     */
    static String remoteDir(String dir, boolean backslashes) {
        String d = dir.trim();
        while (d.length() > 1 && (d.endsWith("/") || (backslashes && d.endsWith("\\") && !d.equals("\\\\")))) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? "/" : d;
    }

    /** Joins a remote directory and a name with one {@code /}. */
    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
