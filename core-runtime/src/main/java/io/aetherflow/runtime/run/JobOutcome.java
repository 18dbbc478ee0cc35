package io.aetherflow.runtime.run;

/**
 * How the job loop ended for one job.
 *
 * @param status final job status
 * @param error error message or null
 * @param exitCode the exit code this outcome implies for the run
 */
record JobOutcome(String status, String error, int exitCode) {
}
