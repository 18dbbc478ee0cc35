/**
 * The launch interface between the launcher (a plain jar on the class path) and the engine bundle.
 * The launcher exports this package through the system bundle
 * ({@code org.osgi.framework.system.packages.extra}, at {@link io.aetherflow.launch.Application#PACKAGE_VERSION},
 * the one place that version is written); the engine registers an {@link io.aetherflow.launch.Application}
 * service that the launcher calls once per process with a typed {@link io.aetherflow.launch.LaunchInfo}
 * (trust mode, per-bundle verdicts, cache directory). Exit codes: {@link io.aetherflow.launch.ExitCodes}.
 * The engine implements {@code Application} (a provider), so it imports {@code [1.1,1.2)}.
 */
package io.aetherflow.launch;
