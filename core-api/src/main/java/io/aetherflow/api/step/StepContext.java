package io.aetherflow.api.step;

import io.aetherflow.api.connector.Connector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Everything a step may use while it runs. Provided by the engine, one per step invocation; valid
 * only during {@link Step#run(StepContext)}.
 */
@ProviderType
public interface StepContext {

    /** @return the flow id (rendered {@code flow.id}) */
    String flowId();

    /** @return the run id */
    String runId();

    /** @return the job id */
    String jobId();

    /** @return the step id */
    String stepId();

    /** @return the step type this invocation runs as */
    String stepType();

    /** @return the rendered inputs */
    StepInputs inputs();

    /**
     * The rendered inputs, after checking that each named one is set: {@code inputs()} and
     * {@link StepInputs#require(String...)} in one call, as a step's {@code run} usually begins.
     *
     * @param required the names of the inputs the step cannot run without
     * @return the rendered inputs
     * @throws StepInputException naming every missing input
     * @since 1.4 (package version)
     */
    default StepInputs inputsRequiring(String... required) {
        StepInputs in = inputs();
        in.require(required);
        return in;
    }

    /** @return the run's environment snapshot (never the raw OS environment), unmodifiable */
    Map<String, String> env();

    /** @return true in enterprise mode ({@code AETHERFLOW_MODE_ENTERPRISE} truthy) */
    boolean enterpriseMode();

    /** @return the job's directory {@code <root>/<flow>/<job>/<run>}, created on demand */
    Path jobDir();

    /** @return the job's artifacts directory, created on demand */
    Path artifactsDir();

    /** @return the job's scratch directory, created on demand */
    Path scratchDir();

    /** @return the job's manifests directory, created on demand */
    Path manifestsDir();

    /**
     * Resolves a step path through the sandbox: relative paths resolve under the artifacts
     * directory; the result must lie under an allowed root (see the docs on path sandboxing).
     *
     * @param path the path as written in the inputs
     * @return the absolute, normalised path
     * @throws StepFailedException when the path escapes the sandbox
     */
    Path resolvePath(String path);

    /**
     * The connector for a declared resource, created lazily and cached per the resource's cache
     * policy.
     *
     * @param <T> the per-kind connector contract
     * @param resourceName the name under {@code resources:}
     * @param type the contract the caller needs
     * @return the connector; never null
     * @throws StepFailedException unknown resource, kind mismatch, or no driver serves it
     */
    <T extends Connector> T connector(String resourceName, Class<T> type);

    /**
     * Whether the run declares a resource of this name, so a step can fall back to a default
     * resource or to an {@linkplain #adhocConnector ad-hoc connector} without provoking (and
     * parsing) the error {@link #connector(String, Class)} raises for an undeclared name.
     *
     * @param resourceName a name under {@code resources:}
     * @return true when the flow declares it
     * @since 1.2 (package version)
     */
    boolean hasResource(String resourceName);

    /**
     * A connector the flow did not declare: the engine creates one from an installed driver of a
     * kind, with no {@code config}, the given {@code options}, and the step id as its name. Use it
     * only where the reference falls back to a driver of its own choosing (an {@code http_request}
     * with just a URL, a {@code zip} without an archive resource); everything else should name a
     * resource.
     *
     * <p>Which driver, decided by the engine for every step alike:
     * <ol>
     * <li>Policy first: in enterprise mode ({@link #enterpriseMode()}) the engine refuses ad-hoc
     * connectors of kinds whose drivers enterprise mode restricts ({@code archive}: only declared
     * resources, whose driver must be in the manifest's {@code zip_drivers}), with a
     * {@link StepFailedException} saying what to declare.</li>
     * <li>Then each name of {@code preferredDrivers} in order; for one name, the driver a resource
     * of that kind and driver would get: among the drivers of the kind whose driver name or alias is
     * that name, the highest {@code service.ranking}, on a tie the one registered first (lowest
     * {@code service.id}). The connector's {@link io.aetherflow.api.connector.ConnectorConfig#driver()}
     * is the name asked for, so outputs and messages use it. Without preferred drivers: the best
     * driver of the kind by the same rule, under its own driver name.</li>
     * <li>A driver whose factory rejects the options, or whose connector does not implement
     * {@code contract}, is skipped (its reason kept) and the next name is tried.</li>
     * </ol>
     *
     * @param <T> the per-kind connector contract
     * @param kind the connector kind, e.g. {@code rest} or {@code archive}
     * @param contract the contract the caller needs
     * @param options the connector's options (e.g. the step's {@code options:} input); may be empty
     * @param preferredDrivers driver names or aliases to try, best first; none: any driver of the kind
     * @return a new connector, never cached: the caller closes it
     * @throws ConnectorUnavailableException no installed driver of the kind answers the names, or
     *     each one that does refused
     * @throws StepFailedException enterprise policy refuses an ad-hoc connector of this kind
     * @since 1.2 (package version)
     */
    <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers);

    /**
     * Tries once to acquire a lock owned by this run. Re-entrant for the same run.
     *
     * @param key the lock key
     * @param ttl lease length; renewed in the background while held
     * @return the lease, or empty when another live run holds the key
     */
    Optional<LockLease> tryLock(String key, Duration ttl);

    /**
     * Runs another step type in this context (same job, same directories), as {@code with_lock}
     * does with its inner step. The inner step writes no state row and emits no step events.
     *
     * @param type the step type
     * @param stepId the inner step's id
     * @param inputs the inner step's inputs (already rendered)
     * @return the inner step's result
     * @throws Exception whatever the inner step throws
     */
    StepResult runStep(String type, String stepId, Map<String, Object> inputs) throws Exception;

    /**
     * Emits a structured event; flow, run, job and step ids and the step type are added.
     *
     * @param level one of {@code DEBUG}, {@code INFO}, {@code WARNING}, {@code ERROR}
     * @param event the event name, e.g. {@code external_process_start}
     * @param fields event fields in order; values are masked if they contain secrets
     */
    void event(String level, String event, Map<String, Object> fields);

    /**
     * Logs a plain message on the job's logger.
     *
     * @param level one of {@code DEBUG}, {@code INFO}, {@code WARNING}, {@code ERROR}
     * @param message the message; secrets are masked
     */
    void log(String level, String message);

    /**
     * Reports a child process this step started, right after starting it, so the engine can stop
     * it when the run dies: the engine records its pid, process group and start time in the state
     * store, and a later run that finds this run dead (dead-run detection, a lock lease taken
     * over, a resume) kills the recorded process group if it is still alive before anything else
     * proceeds. Start the child as the leader of its own process group (on Linux, through
     * {@code setsid}) so its whole group can be found; the recorded start time guards against pid
     * reuse. The record is dropped when the step ends.
     *
     * <p>An engine that does not track processes ignores the call (the default).
     *
     * @param process the started child (its {@link ProcessHandle#pid()} and start time are recorded)
     * @param processGroup the child's process group id, or {@code -1} when it has none of its own
     * @since 1.1 (package version)
     */
    default void registerProcess(ProcessHandle process, long processGroup) {
    }

    /**
     * Masks every known secret value in a text (as {@code ***}). Use it on anything a step
     * captures from the outside world before it reaches outputs or logs.
     *
     * @param text any text, may be null
     * @return the masked text
     */
    String mask(String text);
}
