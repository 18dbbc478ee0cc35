package io.aetherflow.runtime.spec;

import java.util.Map;

/**
 * {@code jobs[i].steps[j]}.
 *
 * @param id step id
 * @param type step type
 * @param inputs raw inputs (rendered by the runner before the step runs)
 * @param outputs job-output promotion templates
 * @param onNoData {@code skip_job} or null
 */
public record StepSpec(String id, String type, Map<String, Object> inputs, Map<String, Object> outputs,
        String onNoData) {
}
