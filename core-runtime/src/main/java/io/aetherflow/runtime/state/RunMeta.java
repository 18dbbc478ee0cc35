package io.aetherflow.runtime.state;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who runs a flow and with what; recorded in the {@code runs} table by {@link StateStore#beginRun}.
 *
 * @param host host name of the running process (used for dead-run detection)
 * @param pid process id of the running process
 * @param pluginSetHash hash of the plugin lock that ran (nullable)
 * @param flowYaml path of the flow YAML file as given (nullable)
 * @param flowSha256 SHA-256 (hex) of the flow YAML file (nullable)
 */
public record RunMeta(String host, long pid, String pluginSetHash, String flowYaml, String flowSha256) {

    /** Validates the host. */
    public RunMeta {
        Objects.requireNonNull(host, "host");
    }

    /**
     * Metadata for the current process.
     *
     * @param pluginSetHash hash of the plugin lock (nullable)
     * @param flowYaml flow file path (nullable)
     * @param flowSha256 flow file SHA-256 (nullable)
     * @return metadata with this host's name and this process's pid
     */
    public static RunMeta current(String pluginSetHash, String flowYaml, String flowSha256) {
        return new RunMeta(localHostName(), ProcessHandle.current().pid(), pluginSetHash, flowYaml, flowSha256);
    }

    /**
     * This machine's host name, without a DNS lookup when the kernel can tell it.
     *
     * @return host name, never null
     */
    public static String localHostName() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                String h = Files.readString(proc, StandardCharsets.UTF_8).trim();
                if (!h.isEmpty()) {
                    return h;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the portable lookups
        }
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String h = System.getenv(var);
            if (h != null && !h.isBlank()) {
                return h.trim();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
