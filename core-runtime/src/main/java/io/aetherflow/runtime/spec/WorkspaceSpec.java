package io.aetherflow.runtime.spec;

import java.util.Map;

/**
 * {@code flow.workspace}.
 *
 * @param root workspace root (default {@code /tmp/work})
 * @param cleanupPolicy {@code on_success} (default), {@code always} or {@code never}
 * @param layout directory names; keys {@code artifacts}, {@code scratch}, {@code manifests}
 *               (defaults filled for missing keys)
 */
public record WorkspaceSpec(String root, String cleanupPolicy, Map<String, String> layout) {
}
