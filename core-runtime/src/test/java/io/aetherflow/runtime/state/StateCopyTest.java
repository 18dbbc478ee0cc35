package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state migrate}: SQLite to PostgreSQL and back, every table, a non-empty target refused. */
class StateCopyTest {

    @TempDir
    Path dir;

    private static void history(StateStore s) {
        RunMeta meta = RunMeta.current("hash", "/f.yaml", "sha");
        for (String run : List.of("r1", "r2")) {
            s.beginRun("etl", run, meta);
            s.setStepStatus("etl", run, "j", "a", new StepUpdate("SUCCESS", "t", "b 1", 10L, 20L, Map.of("n", 1), null));
            s.setStepStatus("etl", run, "j", "b", StepUpdate.of("SKIPPED"));
            s.setJobStatus("etl", run, "j", JobUpdate.of("SUCCESS"));
            s.endRun("etl", run, RunStatus.SUCCESS, null, "{\"ok\":true}");
        }
        s.acquireLock("nightly", "r2", 3600);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        s.claimFire("item", at, "sched", Duration.ofSeconds(30));
        s.completeFire("item", at, "sched", "SUCCESS", "r2");
    }

    private static void sameHistory(StateStore s) {
        assertEquals(List.of("r2", "r1"), s.listRuns(10, "etl").stream().map(RunRecord::runId).toList());
        RunDetails d = s.getRun("r1").orElseThrow();
        assertEquals(RunStatus.SUCCESS, d.run().status());
        assertEquals("{\"ok\":true}", d.run().summaryJson());
        assertEquals(List.of("a", "b"), List.copyOf(s.getStepRecords("etl", "r1", "j").keySet()));
        assertEquals(10L, s.getStepRecord("etl", "r1", "j", "a").orElseThrow().durationMs());
        assertEquals("r2", s.getLock("nightly").orElseThrow().owner());
        assertEquals("r2", s.getFire("item", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow().runId());
    }

    @Test
    void copiesEveryTableFromSqliteToPostgresAndBackAndRefusesANonEmptyTarget() {
        StateUrl url = PgStores.freshUrl();
        try (SqliteStateStore sqlite = SqliteStateStore.open(dir.resolve("team.sqlite"));
                PgStateStore pg = PgStores.open(url, StoreOptions.defaults())) {
            history(sqlite);
            Map<String, Integer> copied = StateCopy.copy(sqlite, pg);
            assertEquals(Map.of("job_runs", 2, "step_runs", 4, "locks", 1, "runs", 2, "job_details", 2,
                    "step_details", 4, "step_processes", 0, "fire_claims", 1), copied);
            sameHistory(pg);

            StateStoreException again = assertThrows(StateStoreException.class, () -> StateCopy.copy(sqlite, pg));
            assertEquals("state store " + url.masked() + " is not empty (table job_runs has rows): migrate into a new,"
                    + " empty database, or drop the AetherFlow tables there first (nothing was copied)",
                    again.getMessage());
            assertEquals(2, pg.listRuns(10, null).size(), "nothing doubled");

            try (SqliteStateStore back = SqliteStateStore.open(dir.resolve("back.sqlite"))) {
                StateCopy.copy(pg, back);
                sameHistory(back);
                assertTrue(back.getStepRecord("etl", "r2", "j", "a").orElseThrow().outputs().containsKey("n"));
            }
        }
    }
}
