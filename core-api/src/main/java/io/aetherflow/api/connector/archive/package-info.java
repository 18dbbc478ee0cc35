/**
 * The archive connector contract: what {@code archive} resources give to steps such as {@code zip}
 * and {@code unzip}. A connector bundle implements
 * {@link io.aetherflow.api.connector.archive.ArchiveConnector} and registers a
 * {@link io.aetherflow.api.connector.ConnectorFactory} with kind {@code archive}; steps obtain it with
 * {@code ctx.connector(resource, ArchiveConnector.class)} and never see the driver.
 *
 * <p>Import ranges: steps and other consumers that only call the contract import this package with
 * {@code [1.0,2.0)}; connector bundles that implement {@code ArchiveConnector} (it is a provider type)
 * import it with {@code [1.0,1.1)}, which bnd derives automatically.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.connector.archive;
