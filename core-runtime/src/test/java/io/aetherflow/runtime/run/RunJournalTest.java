package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.observe.RunListener;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.state.RunDetails;
import io.aetherflow.runtime.state.RunMeta;
import io.aetherflow.runtime.state.RunStatus;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StepRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every status change recorded through the {@link RunJournal} reaches all three sinks: the state
 * store, the run observer (lifecycle events and run listeners) and the event log.
 */
class RunJournalTest {

    @TempDir
    Path tmp;

    private StateStore store;
    private final ByteArrayOutputStream logBuf = new ByteArrayOutputStream();
    private final List<String> heard = new ArrayList<>();
    private RunJournal journal;

    @BeforeEach
    void setUp() {
        store = SqliteStateStore.open(tmp.resolve("state.sqlite"));
        EventLog log = new EventLog(new PrintStream(logBuf, true, StandardCharsets.UTF_8), LogLevel.INFO, true,
                s -> s, String::valueOf);
        RunListener listener = new RunListener() {
            @Override
            public void onJobStart(String flowId, String runId, String jobId) {
                heard.add("jobStart " + jobId);
            }

            @Override
            public void onJobEnd(String flowId, String runId, String jobId, String status, long durationMs) {
                heard.add("jobEnd " + jobId + " " + status);
            }

            @Override
            public void onStepStart(String flowId, String runId, String jobId, String stepId, String stepType) {
                heard.add("stepStart " + jobId + "/" + stepId);
            }

            @Override
            public void onStepEnd(String flowId, String runId, String jobId, String stepId, String stepType,
                    String status, long durationMs) {
                heard.add("stepEnd " + jobId + "/" + stepId + " " + status);
            }

            @Override
            public void onRunEnd(String flowId, String runId, Map<String, Object> summary) {
                heard.add("runEnd " + summary.get("status"));
            }
        };
        journal = RunJournal.begin(store, log, List.of(Map.entry("rec", listener)), "f", "r1",
                RunMeta.current(null, "flow.yaml", null));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private String log() {
        return logBuf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSucceedingJobAndStepReachStoreObserverListenersAndLog() {
        RunJournal.JobRun job = journal.jobStarted("extract");
        assertEquals("RUNNING", store.getJobRecord("f", "r1", "extract").orElseThrow().status());
        RunJournal.StepRun step = journal.stepStarted(
                RunJournal.StepRun.pending("extract", "fetch", "echo").boundTo("bundle.echo 1.0.0"));
        StepRecord running = store.getStepRecord("f", "r1", "extract", "fetch").orElseThrow();
        assertEquals("RUNNING", running.status());
        assertEquals("bundle.echo 1.0.0", running.servedBy());
        journal.stepEnded(step, "SUCCESS", Map.of("n", 3L));
        journal.jobFinished(job, "SUCCESS", Map.of("rows", 3L), null, "Job success");
        int exit = journal.runEnded("SUCCESS", null, ExitCodes.OK);

        assertEquals(ExitCodes.OK, exit);
        StepRecord done = store.getStepRecord("f", "r1", "extract", "fetch").orElseThrow();
        assertEquals("SUCCESS", done.status());
        assertEquals(Map.of("n", 3L), done.outputs());
        assertEquals(Map.of("rows", 3L), store.getJobRecord("f", "r1", "extract").orElseThrow().outputs());
        RunDetails run = store.getRun("f", "r1").orElseThrow();
        assertEquals(RunStatus.SUCCESS, run.run().status());
        assertTrue(run.run().summaryJson().contains("\"status_counts\": {\"SUCCESS\": 1}"), run.run().summaryJson());
        assertEquals(List.of("jobStart extract", "stepStart extract/fetch", "stepEnd extract/fetch SUCCESS",
                "jobEnd extract SUCCESS", "runEnd SUCCESS"), heard);
        for (String event : List.of("\"job_start\"", "\"step_start\"", "\"step_end\"", "\"job_end\"", "\"run_end\"",
                "Job success")) {
            assertTrue(log().contains(event), event + " in " + log());
        }
    }

    @Test
    void aFailedStepAndJobAreRecordedEverywhereAndAStepThatNeverStartedEmitsNoStepEnd() {
        RunJournal.JobRun job = journal.jobStarted("load");
        RunJournal.StepRun pending = RunJournal.StepRun.pending("load", "put", "nosuch");
        long now = System.currentTimeMillis();
        journal.stepFailed(pending, "FAILED", "Unknown step type: nosuch", now);
        journal.jobFailed(job, "put", new FlowRunner.Failure("FAILED", "job 'load' step 'put': boom", 10, null),
                Map.of(), now);

        StepRecord step = store.getStepRecord("f", "r1", "load", "put").orElseThrow();
        assertEquals("FAILED", step.status());
        assertEquals("Unknown step type: nosuch", step.error());
        assertEquals(now, step.endedAtMs());
        assertEquals("FAILED", store.getJobRecord("f", "r1", "load").orElseThrow().status());
        assertEquals(List.of("jobStart load", "jobEnd load FAILED"), heard);
        assertFalse(log().contains("\"step_end\""), log());
        assertTrue(log().contains("Job failed: job 'load' step 'put': boom"), log());
    }

    @Test
    void jobsThatDoNotRunAreStoredLoggedAndCountedInTheSummary() {
        journal.jobBlocked("b", "Job blocked job_id=b depends_on=['a']");
        journal.jobSkipped("s", "Job skipped job_id=s when=(false)");
        journal.jobRejected("w", "Invalid job.when for job_id=w: bad");
        assertEquals("BLOCKED", store.getJobRecord("f", "r1", "b").orElseThrow().status());
        assertEquals("SKIPPED", store.getJobRecord("f", "r1", "s").orElseThrow().status());
        assertEquals("Invalid job.when for job_id=w: bad", store.getJobRecord("f", "r1", "w").orElseThrow().error());
        assertEquals(Map.of("BLOCKED", 1, "FAILED", 1, "SKIPPED", 1),
                journal.observer().summary("FAILED", null).get("status_counts"));
        assertTrue(log().contains("Job blocked job_id=b"), log());
        assertTrue(log().contains("Job skipped job_id=s"), log());
        assertTrue(log().contains("Job failed: Invalid job.when for job_id=w: bad"), log());
    }

    @Test
    void aRunWhoseEndCannotBeRecordedExitsWithTheEnvironmentCodeAndStillEmitsRunEnd() {
        store.close();
        int exit = journal.runEnded("SUCCESS", null, ExitCodes.OK);
        assertEquals(ExitCodes.ENVIRONMENT, exit);
        assertTrue(log().contains("could not record the end of the run"), log());
        assertEquals(List.of("runEnd SUCCESS"), heard);
    }
}
