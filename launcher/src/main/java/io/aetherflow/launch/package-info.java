/**
 * The launch interface between the launcher (a plain jar on the class path) and the engine bundle.
 * The launcher exports this package through the system bundle
 * ({@code org.osgi.framework.system.packages.extra}); the engine registers an
 * {@link io.aetherflow.launch.Application} service that the launcher calls once per process.
 * Version 1.0.0; the engine imports {@code [1.0,1.1)}.
 */
package io.aetherflow.launch;
