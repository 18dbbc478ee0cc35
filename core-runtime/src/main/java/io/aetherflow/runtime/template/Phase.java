package io.aetherflow.runtime.template;

import java.util.Set;

/** Where a template is rendered; each phase allows a fixed set of roots (catalog §2.8). */
public enum Phase {
    /** Resource {@code config}/{@code options} (after profile merge): {@code env} only. */
    RESOURCE(Set.of("env")),
    /** The whole {@code flow} block at run start: {@code env} only. */
    FLOW_META(Set.of("env")),
    /** Step {@code inputs} (before the step) and {@code outputs} (after it). */
    STEP(Set.of("env", "steps", "job", "run_id", "flow_id", "result", "jobs"));

    private final Set<String> roots;

    Phase(Set<String> roots) {
        this.roots = roots;
    }

    /** @return the root names a template may start with in this phase (unmodifiable) */
    public Set<String> allowedRoots() {
        return roots;
    }
}
