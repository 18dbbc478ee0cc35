package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Drivers that run external tools: the staged extraction with a prescan and a size watchdog. */
abstract class ToolConnector extends BaseConnector {

    final long timeoutSeconds;

    ToolConnector(ConnectorConfig cfg) {
        super(cfg);
        this.timeoutSeconds = settings.integer("timeout", 3600);
    }

    /**
     * Checks a zip's central directory before a tool sees it: unsafe names, links, declared sizes,
     * encryption without a password, members. Archives Commons Compress cannot read (e.g. 7z for the
     * external driver) are left to the checks after extraction.
     *
     * @return true when the archive was checked
     */
    boolean prescan(Path archive, String password, List<String> members) {
        CompressEntries src;
        try {
            src = new CompressEntries(archive);
        } catch (IOException e) {
            return false;
        }
        try (src) {
            List<SafeExtractor.Named> plan = safety.plan(archive, src.entries(), members);
            if (password == null) {
                for (SafeExtractor.Named n : plan) {
                    if (n.entry().encrypted()) {
                        throw new ConnectorException(prefix() + ": archive " + archive + " is encrypted (entry '"
                                + SafeExtractor.printable(n.entry().name()) + "'); set inputs.password");
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** Runs an extraction tool into staging, then checks what it wrote. */
    List<String> runExtract(Path archive, List<String> command, Path cwd, Path staging, String password)
            throws IOException {
        Tool.Outcome o = Tool.run(command, cwd, null, timeoutSeconds, staging, limitBytes(),
                safety.bomb(archive, "it extracts to more than max_total_bytes " + limitBytes() + " bytes"));
        if (o.exit() != 0) {
            throw failure(command.get(0), o, password, archive);
        }
        return safety.inspect(archive, staging);
    }

    ConnectorException failure(String tool, Tool.Outcome o, String password, Path archive) {
        return new ConnectorException(prefix() + ": " + tool + " exited with " + o.exit() + " for " + archive
                + (o.output().isEmpty() ? "" : ": " + mask(o.output(), password)));
    }

    long limitBytes() {
        return settings.limits().maxTotalBytes();
    }
}
