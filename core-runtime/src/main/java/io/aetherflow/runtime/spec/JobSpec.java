package io.aetherflow.runtime.spec;

import java.util.List;

/**
 * {@code jobs[i]}.
 *
 * @param id job id
 * @param description free text or null
 * @param dependsOn ids of earlier jobs
 * @param when gating expression or null
 * @param steps steps in order
 */
public record JobSpec(String id, String description, List<String> dependsOn, String when, List<StepSpec> steps) {
}
