package io.aetherflow.runtime.spec;

/**
 * The {@code flow} block.
 *
 * @param id flow id
 * @param description free text or null
 * @param workspace workspace settings (defaults filled)
 * @param state state store settings (defaults filled)
 * @param locks lock settings (defaults filled)
 */
public record FlowMeta(String id, String description, WorkspaceSpec workspace, StateSpec state, LocksSpec locks) {
}
