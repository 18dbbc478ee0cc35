/**
 * Helpers for plugin authors, so that step and connector bundles do not each carry their own copy:
 * {@link io.aetherflow.api.support.Json} reads and writes JSON with the engine's conventions
 * (one line, non-ASCII kept, insertion order; numbers as Long/Double/BigDecimal);
 * {@link io.aetherflow.api.support.ConfigValues} reads a resource's {@code config}/{@code options}
 * strictly (durations, integers, ports, sizes in bytes, booleans, lists, {@link io.aetherflow.api.support.RetrySettings}
 * and {@link io.aetherflow.api.support.TlsSettings}); {@link io.aetherflow.api.support.PyRepr} renders
 * values as Python's {@code str()}/{@code repr()}; {@link io.aetherflow.api.support.FileTrees} deletes
 * a directory tree without following links; {@link io.aetherflow.api.support.Processes} tells a
 * running process from an exited one (zombies included); {@link io.aetherflow.api.support.ConnectorDriver} declares a
 * connector factory's service properties; {@link io.aetherflow.api.support.ConfiguredConnector} holds a
 * connector's configuration and parsed settings; {@link io.aetherflow.api.support.AtomicFiles} writes a
 * file through {@code <name>.tmp} and a rename.
 *
 * <p>Plugins import this package with {@code [1.1,2.0)} (1.1.0 added everything but {@code Json};
 * 1.2.0 added {@code AtomicFiles}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.aetherflow.api.support;
