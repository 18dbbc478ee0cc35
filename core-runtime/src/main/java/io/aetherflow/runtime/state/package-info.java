/**
 * Durable run state (SPEC §6, differences 3–5): {@link io.aetherflow.runtime.state.StateStore} and
 * its embedded SQLite implementation {@link io.aetherflow.runtime.state.SqliteStateStore}, run
 * heartbeats, lock leases and the sqlite-jdbc native-library cache.
 *
 * <p>The SQLite implementation is split by responsibility behind the {@code StateStore} seam:
 * {@code SqliteDatabase} (file, connection, pragmas, migration, transactions, statements) and the
 * table parts {@code RunsTable}, {@code StepsTable}, {@code LocksTable}, {@code ProcessesTable};
 * {@link io.aetherflow.runtime.state.SqliteStateStore} composes them into one transaction per call.
 *
 * <p>SQLite schema (version in {@code PRAGMA user_version}, currently 3; version 2 added
 * {@code step_processes}, version 3 {@code fire_claims}):
 * <ul>
 *   <li>reference tables, unchanged and still written on every status change:
 *       {@code job_runs(job_id, run_id, status, updated_at)},
 *       {@code step_runs(job_id, run_id, step_id, status, updated_at)},
 *       {@code locks(key, owner, expires_at)} — epoch seconds;</li>
 *   <li>{@code runs(flow_id, run_id, status, started_at_ms, ended_at_ms, heartbeat_at_ms, host, pid,
 *       plugin_set_hash, flow_yaml, flow_sha256, error, summary_json, attempt)};</li>
 *   <li>{@code job_details(flow_id, run_id, job_id, status, started_at_ms, ended_at_ms, duration_ms,
 *       outputs_json, error, updated_at_ms)};</li>
 *   <li>{@code step_details(flow_id, run_id, job_id, step_id, status, step_type, served_by,
 *       started_at_ms, ended_at_ms, duration_ms, outputs_json, error, updated_at_ms)} — new tables
 *       use epoch milliseconds, as their column names say;</li>
 *   <li>{@code step_processes(flow_id, run_id, job_id, step_id, host, pid, pgid, started_at_ms,
 *       registered_at_ms)};</li>
 *   <li>{@code fire_claims(item_id, scheduled_at_ms, owner, host, pid, claimed_at_ms, lease_until_ms,
 *       status, run_id, completed_at_ms, attempts)} — the scheduler's exactly-once claims
 *       ({@link io.aetherflow.runtime.state.StateStore#claimFire}).</li>
 * </ul>
 * A file created by the Python AetherFlow (version 0) is migrated in place; its rows stay and are
 * honoured for resume as {@code legacy} records.
 */
package io.aetherflow.runtime.state;
