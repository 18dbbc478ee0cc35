/**
 * The remote-files connector contract, shared by every {@code sftp} and {@code smb} driver: list,
 * stat, download, upload, read/write bytes, delete, mkdir and their recursive forms. A connector
 * bundle implements {@link io.aetherflow.api.connector.files.RemoteFiles} and registers a
 * {@link io.aetherflow.api.connector.ConnectorFactory}; steps such as {@code sftp_list_files} obtain it with
 * {@code ctx.connector(resource, RemoteFiles.class)} and never see the driver.
 *
 * <p>Import ranges: steps that only call the contract import this package with {@code [1.0,2.0)};
 * connector bundles that implement {@code RemoteFiles} (a provider type) import it with
 * {@code [1.0,1.1)}, which bnd derives automatically.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.connector.files;
