/**
 * The step SPI: what a step bundle implements ({@link io.aetherflow.api.step.Step}) and what the engine
 * gives it while it runs ({@link io.aetherflow.api.step.StepContext}).
 *
 * <p>A step bundle registers one {@code Step} service per step type, with the service property
 * {@value io.aetherflow.api.step.Step#TYPE_PROPERTY} naming the type used in flow YAML
 * ({@code type: external.process}). The service with the highest {@code service.ranking} wins, so a
 * plugin can shadow a built-in type.
 *
 * <p>Consumers of this package (step implementations) should import it with the range
 * {@code [1.0,2.0)}; providers of {@link io.aetherflow.api.step.StepContext} (the engine) with
 * {@code [1.4,1.5)}.
 *
 * <p>1.1: {@link io.aetherflow.api.step.StepContext#registerProcess(ProcessHandle, long)}.
 * 1.2: {@link io.aetherflow.api.step.StepContext#hasResource(String)},
 * {@link io.aetherflow.api.step.StepContext#adhocConnector(String, Class, java.util.Map, String...)} and
 * {@link io.aetherflow.api.step.ConnectorUnavailableException}: ad-hoc connectors are chosen by the engine.
 * 1.3: {@link io.aetherflow.api.step.InputChecks#declaredResources()}: validation-time checks of resource names.
 * 1.4: {@link io.aetherflow.api.step.StepContext#inputsRequiring(String...)}: the inputs and the check of the
 * required ones in one call.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.aetherflow.api.step;
