/**
 * The launch interface between the launcher (a plain jar on the class path) and the engine bundle.
 * The launcher exports this package through the system bundle
 * ({@code org.osgi.framework.system.packages.extra}, at {@link io.aetherflow.launch.Application#PACKAGE_VERSION},
 * the one place that version is written); the engine registers an {@link io.aetherflow.launch.Application}
 * service that the launcher calls once per process with a typed {@link io.aetherflow.launch.EngineCommand}
 * (the launcher parses every command line; the engine never sees raw arguments) and a typed
 * {@link io.aetherflow.launch.LaunchInfo} (trust mode, per-bundle verdicts, cache directory). Exit codes:
 * {@link io.aetherflow.launch.ExitCodes}; messages quote values with {@link io.aetherflow.launch.Quote}.
 * Version 2.0.0 ({@code Application.run} takes an {@code EngineCommand} instead of the argument list);
 * 2.1.0 adds {@code EngineCommand.BundleSync}, {@code EngineCommand.BundleStatus}, {@code EngineCommand.Schedule}
 * and {@code EngineCommand.StateMigrate}; 2.2.0 adds {@link io.aetherflow.launch.PluginLoader} (the launcher
 * starts plugin bundles when the engine first needs them) and {@link io.aetherflow.launch.PluginLoadException}; 2.3.0 adds
 * {@link io.aetherflow.launch.ShippedPlugins} (plugin jars an asset bundle ships) and
 * {@code EngineCommand.PluginsList.bundleManifest}.
 * The engine implements {@code Application} (a provider), so it imports {@code [2.3,2.4)}.
 *
 * <p>The {@code @Version} below must equal {@code Application.PACKAGE_VERSION} (the launcher's
 * {@code LaunchExportTest} checks the built manifest): it is what bnd baselining compares with the
 * released launcher, so an incompatible change without a version bump fails the build.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package io.aetherflow.launch;
