/**
 * Helpers for plugin authors, so that step and connector bundles do not each carry their own copy:
 * {@link io.aetherflow.api.support.Json} reads and writes JSON with the engine's conventions
 * (one line, non-ASCII kept, insertion order; numbers as Long/Double/BigDecimal).
 *
 * <p>Plugins import this package with {@code [1.0,2.0)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.support;
