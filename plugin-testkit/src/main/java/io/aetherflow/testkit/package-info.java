/**
 * The plugin test kit: {@link io.aetherflow.testkit.FakeStepContext}, an engine stand-in for unit
 * tests of step types (map-backed strict inputs, recorded events, log lines, locks, nested steps and
 * registered processes, real workspace directories, a connector registry, secret masking), and
 * {@link io.aetherflow.testkit.LoopbackServer}, a real HTTP(S) server on 127.0.0.1 that records
 * every request; {@link io.aetherflow.testkit.PostgresServer} and
 * {@link io.aetherflow.testkit.MariaDbServer} (both {@link io.aetherflow.testkit.LocalDatabaseServer}s), real database servers started from the installed
 * binaries in a temp directory on a free loopback port (tests skip when the binaries are absent). Use it
 * with test scope; it is not part of the API bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.aetherflow.testkit;
