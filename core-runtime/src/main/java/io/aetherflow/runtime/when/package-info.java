/**
 * The {@code job.when} gating language (catalog §3.4, SPEC §4 row 6): a restricted Python-like
 * expression over {@code jobs.<id>.status} and {@code jobs.<id>.outputs.<key>}, parsed by an own
 * recursive-descent parser (no script engine) and evaluated with Python semantics.
 */
package io.aetherflow.runtime.when;
