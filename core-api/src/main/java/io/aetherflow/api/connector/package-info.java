/**
 * The connector SPI. A connector bundle registers a {@link io.aetherflow.api.connector.ConnectorFactory}
 * service per driver with the properties {@value io.aetherflow.api.connector.ConnectorFactory#KIND_PROPERTY},
 * {@value io.aetherflow.api.connector.ConnectorFactory#DRIVER_PROPERTY} and optionally
 * {@value io.aetherflow.api.connector.ConnectorFactory#ALIASES_PROPERTY} (e.g. {@code paramiko} so that
 * reference flows naming {@code sftp:paramiko} keep working). Steps never depend on connector
 * bundles: they ask the {@link io.aetherflow.api.step.StepContext} for a connector by resource name
 * and per-kind contract (sub-interfaces of {@link io.aetherflow.api.connector.Connector}).
 *
 * <p>Factory implementations import this package with {@code [1.0,2.0)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.connector;
