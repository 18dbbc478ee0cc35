package io.aetherflow.runtime.state;

import java.util.List;

/**
 * A run with its job and step rows, for {@code aetherflow runs show}.
 *
 * @param run the run row
 * @param jobs its jobs in the order they were first written
 * @param steps its steps in the order they were first written
 */
public record RunDetails(RunRecord run, List<JobRecord> jobs, List<StepRecord> steps) {

    /** Copies the lists. */
    public RunDetails {
        jobs = List.copyOf(jobs);
        steps = List.copyOf(steps);
    }
}
