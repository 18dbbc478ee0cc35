package io.aetherflow.runtime.state;

import java.util.List;

/**
 * Result of {@link StateStore#beginRun}.
 *
 * @param run the run row now RUNNING
 * @param previous the row of the same flow id and run id before this attempt (a resume), or null
 *     for a new run; if it was found dead its status here is already INTERRUPTED
 * @param interrupted every run (of any flow) that was found dead and marked INTERRUPTED while
 *     beginning this one
 */
public record RunStart(RunRecord run, RunRecord previous, List<RunRecord> interrupted) {

    /** Copies the list. */
    public RunStart {
        interrupted = List.copyOf(interrupted);
    }

    /** @return true when this run id was seen before (resume) */
    public boolean resumed() {
        return previous != null;
    }
}
