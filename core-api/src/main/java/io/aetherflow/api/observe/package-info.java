/**
 * Run listeners (metrics and observability whiteboard). Every registered
 * {@link io.aetherflow.api.observe.RunListener} service is called for every run; one named by
 * {@code AETHERFLOW_METRICS_MODULE} (service property
 * {@value io.aetherflow.api.observe.RunListener#NAME_PROPERTY}) must be present or the run fails.
 * Implementations import this package with {@code [1.0,2.0)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.observe;
