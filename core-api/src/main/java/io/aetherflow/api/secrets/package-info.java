/**
 * The secrets provider SPI. A bundle registers a {@link io.aetherflow.api.secrets.SecretsProvider}
 * service with property {@value io.aetherflow.api.secrets.SecretsProvider#NAME_PROPERTY}; the flow's
 * environment selects it with {@code AETHERFLOW_SECRETS_MODULE=<name>}. Providers import this package
 * with {@code [1.0,2.0)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.aetherflow.api.secrets;
