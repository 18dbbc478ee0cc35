package io.aetherflow.testkit;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.StrictInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An engine stand-in for unit tests of a step type. Configure it fluently, run the step, then look
 * at what the step did:
 *
 * <pre>{@code
 * FakeStepContext ctx = FakeStepContext.at(tmp)            // tmp becomes the job directory
 *         .stepType("acme.greet").input("name", "Ada").secret("s3cret")
 *         .resource("api", "rest", "acme-static", Map.of("greeting", "Hello"), Map.of(), new StaticFactory());
 * StepResult r = ctx.run(new GreetStep());
 * assertEquals("Hello, Ada", r.output().get("message"));
 * assertEquals(List.of("greeted"), ctx.eventNames());
 * }</pre>
 *
 * <ul>
 * <li>Inputs are strict, over a map: the engine's own {@link StrictInputs}, so rules and messages match a run.</li>
 * <li>Workspace: real directories {@code <job>/artifacts}, {@code scratch} and {@code manifests},
 *     created on demand; {@link #resolvePath} resolves relative paths under the artifacts directory
 *     and refuses anything outside the allowed roots (the job directory unless
 *     {@link #allowedRoots(Path...)} says otherwise) with the sandbox's message.</li>
 * <li>Connectors: register a real connector instance or a factory per resource name; a factory's
 *     connector is created on first use, cached, and closed by {@link #close()}.</li>
 * <li>Recorded: events (string fields masked), log lines ({@code "LEVEL message"}, masked), the
 *     journal of engine services used ({@code lock:<key>:<ttl seconds>}, {@code release:<key>},
 *     {@code inner:<type>:<id>}, {@code process:<pid>}), registered processes and step results. All
 *     recordings are thread-safe (steps may emit from reader threads).</li>
 * <li>{@link #runStep} runs step types registered with {@link #step(String, Step)} in a nested
 *     context that shares everything above but its step id, type and inputs.</li>
 * </ul>
 */
public final class FakeStepContext implements StepContext, AutoCloseable {

    /**
     * One emitted event.
     *
     * @param level the level as given
     * @param name the event name
     * @param stepId the id of the step that emitted it
     * @param fields the fields in order, string values masked
     */
    public record Event(String level, String name, String stepId, Map<String, Object> fields) {
        /**
         * @param key a field name
         * @return the field's value, or null
         */
        public Object field(String key) {
            return fields.get(key);
        }
    }

    /**
     * A child process a step reported through {@link StepContext#registerProcess}.
     *
     * @param pid the process id
     * @param processGroup the process group id, or {@code -1}
     * @param stepId the id of the step that reported it
     */
    public record RegisteredProcess(long pid, long processGroup, String stepId) {
    }

    private record Resource(ConnectorConfig config, ConnectorFactory factory, Connector instance) {
    }

    /** What a nested context shares with its parent. */
    private static final class Shared {
        final Path jobDir;
        final List<Path> allowedRoots = new CopyOnWriteArrayList<>();
        final Map<String, String> env = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> secrets = new CopyOnWriteArrayList<>();
        final Map<String, Resource> resources = new ConcurrentHashMap<>();
        final Map<String, Connector> open = new ConcurrentHashMap<>();
        final Map<String, Step> steps = new ConcurrentHashMap<>();
        final AdhocDrivers adhoc = new AdhocDrivers();
        Map<String, String> lockTable = new LinkedHashMap<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<String> logs = new CopyOnWriteArrayList<>();
        final List<String> journal = new CopyOnWriteArrayList<>();
        final List<RegisteredProcess> processes = new CopyOnWriteArrayList<>();
        final List<StepResult> results = new CopyOnWriteArrayList<>();
        volatile String flowId = "flow";
        volatile String runId = "run1";
        volatile String jobId = "job";
        volatile boolean enterprise;

        Shared(Path jobDir) {
            this.jobDir = jobDir;
        }
    }

    private final Shared shared;
    private volatile String stepId = "step";
    private volatile String stepType = "test";
    private volatile Map<String, Object> inputs = Map.of();

    private FakeStepContext(Shared shared) {
        this.shared = shared;
    }

    /**
     * @param jobDir the job directory (artifacts, scratch and manifests are created below it on demand)
     * @return a context with flow {@code flow}, run {@code run1}, job {@code job}, step {@code step},
     *     type {@code test}, no inputs, an empty environment and no secrets
     */
    public static FakeStepContext at(Path jobDir) {
        return new FakeStepContext(new Shared(jobDir.toAbsolutePath().normalize()));
    }

    // ---- configuration (fluent) ----

    /** @param id the flow id @return this */
    public FakeStepContext flowId(String id) {
        shared.flowId = id;
        return this;
    }

    /** @param id the run id (also the owner of the locks this context takes) @return this */
    public FakeStepContext runId(String id) {
        shared.runId = id;
        return this;
    }

    /** @param id the job id @return this */
    public FakeStepContext jobId(String id) {
        shared.jobId = id;
        return this;
    }

    /** @param id the step id @return this */
    public FakeStepContext stepId(String id) {
        this.stepId = id;
        return this;
    }

    /** @param type the step type this invocation runs as @return this */
    public FakeStepContext stepType(String type) {
        this.stepType = type;
        return this;
    }

    /**
     * Replaces all inputs.
     *
     * @param values the rendered inputs (copied; may be null)
     * @return this
     */
    public FakeStepContext inputs(Map<String, ?> values) {
        this.inputs = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        return this;
    }

    /**
     * Sets one input (null values are kept: a present key with a null value).
     *
     * @param name the input name
     * @param value the rendered value
     * @return this
     */
    public FakeStepContext input(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(inputs);
        m.put(name, value);
        this.inputs = Collections.unmodifiableMap(m);
        return this;
    }

    /** @param name a variable @param value its value @return this */
    public FakeStepContext env(String name, String value) {
        shared.env.put(name, value);
        return this;
    }

    /** @param on whether enterprise mode is on @return this */
    public FakeStepContext enterpriseMode(boolean on) {
        shared.enterprise = on;
        return this;
    }

    /**
     * @param value a secret value {@link #mask} replaces by {@code ***} (null and empty are ignored)
     * @return this
     */
    public FakeStepContext secret(String value) {
        if (value != null && !value.isEmpty()) {
            shared.secrets.add(value);
        }
        return this;
    }

    /**
     * @param roots the roots {@link #resolvePath} accepts instead of the job directory
     * @return this
     */
    public FakeStepContext allowedRoots(Path... roots) {
        shared.allowedRoots.clear();
        for (Path r : roots) {
            shared.allowedRoots.add(r.toAbsolutePath().normalize());
        }
        return this;
    }

    /**
     * Registers a connector instance for a resource (the test owns and closes it).
     *
     * @param resourceName the name under {@code resources:}
     * @param connector the connector
     * @return this
     */
    public FakeStepContext connector(String resourceName, Connector connector) {
        ConnectorConfig own = connector.config();
        ConnectorConfig cfg = own != null ? new ConnectorConfig(resourceName, own.kind(), own.driver(), own.config(),
                own.options()) : new ConnectorConfig(resourceName, "test", "test", Map.of(), Map.of());
        return register(new Resource(cfg, null, connector));
    }

    /**
     * Declares a resource served by a factory (a real driver's); the connector is created on first
     * use, cached for the context, and closed by {@link #close()}.
     *
     * @param config the resource declaration
     * @param factory the driver's factory
     * @return this
     */
    public FakeStepContext resource(ConnectorConfig config, ConnectorFactory factory) {
        return register(new Resource(config, factory, null));
    }

    /**
     * @param name the resource name
     * @param kind its kind, e.g. {@code rest}
     * @param driver its driver, e.g. {@code httpx}
     * @param config its {@code config:} mapping
     * @param options its {@code options:} mapping
     * @param factory the driver's factory
     * @return this
     * @see #resource(ConnectorConfig, ConnectorFactory)
     */
    public FakeStepContext resource(String name, String kind, String driver, Map<String, Object> config,
            Map<String, Object> options, ConnectorFactory factory) {
        return resource(new ConnectorConfig(name, kind, driver, config, options), factory);
    }

    /**
     * Installs a driver for {@link #adhocConnector ad-hoc connectors}, as the engine's catalog would offer
     * it. Drivers registered earlier win over later ones answering the same name (the engine's ranking
     * and tie-break, already applied).
     *
     * @param kind the connector kind, e.g. {@code archive}
     * @param name the driver name, e.g. {@code zip}
     * @param factory the driver's factory
     * @param aliases further names the driver answers to, e.g. {@code zipfile}
     * @return this
     */
    public FakeStepContext adhocDriver(String kind, String name, ConnectorFactory factory, String... aliases) {
        shared.adhoc.add(kind, name, factory, aliases);
        return this;
    }

    /**
     * Makes every ad-hoc request fail with this message, as the engine's policy does (for example an
     * ad-hoc archive connector in enterprise mode).
     *
     * @param message the refusal, or null for none
     * @return this
     */
    public FakeStepContext refuseAdhoc(String message) {
        shared.adhoc.refusal = message;
        return this;
    }

    private FakeStepContext register(Resource r) {
        shared.resources.put(r.config().name(), r);
        Connector previous = shared.open.remove(r.config().name());
        if (previous != null) {
            previous.close();
        }
        return this;
    }

    /**
     * Registers a step type for {@link #runStep}.
     *
     * @param type the step type
     * @param step its implementation
     * @return this
     */
    public FakeStepContext step(String type, Step step) {
        shared.steps.put(type, step);
        return this;
    }

    /**
     * Uses a lock table (key to owning run id) shared with other contexts, e.g. to let two runs
     * compete for one key. Access to it is synchronized on the map.
     *
     * @param table the table
     * @return this
     */
    public FakeStepContext locks(Map<String, String> table) {
        shared.lockTable = table;
        return this;
    }

    // ---- running and what was recorded ----

    /**
     * Runs a step in this context and records its result.
     *
     * @param step the step
     * @return its result
     * @throws Exception whatever the step throws
     */
    public StepResult run(Step step) throws Exception {
        StepResult r = step.run(this);
        shared.results.add(r);
        return r;
    }

    /** @return every event so far, in emission order */
    public List<Event> events() {
        return List.copyOf(shared.events);
    }

    /**
     * @param name an event name
     * @return the events with this name, in emission order
     */
    public List<Event> events(String name) {
        return shared.events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** @return the event names, in emission order */
    public List<String> eventNames() {
        return shared.events.stream().map(Event::name).toList();
    }

    /** @return the log lines {@code "LEVEL message"} (masked), in order */
    public List<String> logs() {
        return List.copyOf(shared.logs);
    }

    /** @return the engine services used, in order (see the class description) */
    public List<String> journal() {
        return List.copyOf(shared.journal);
    }

    /** @return the processes steps reported, in order */
    /** @return every ad-hoc request as {@code kind[preferred, drivers]}, in order */
    public List<String> adhocRequests() {
        return List.copyOf(shared.adhoc.requests);
    }

    /** @return every ad-hoc connector handed out (the step must have closed them) */
    public List<Connector> adhocConnectors() {
        return List.copyOf(shared.adhoc.made);
    }

    public List<RegisteredProcess> processes() {
        return List.copyOf(shared.processes);
    }

    /** @return the results of {@link #run(Step)} and of nested steps, in order */
    public List<StepResult> results() {
        return List.copyOf(shared.results);
    }

    /**
     * @param name a resource name
     * @return the resource's declaration as registered, or null
     */
    public ConnectorConfig resourceConfig(String name) {
        Resource r = shared.resources.get(name);
        return r == null ? null : r.config();
    }

    /** Closes the connectors this context created from factories. */
    @Override
    public void close() {
        for (String name : new ArrayList<>(shared.open.keySet())) {
            Connector c = shared.open.remove(name);
            if (c != null) {
                c.close();
            }
        }
    }

    // ---- StepContext ----

    @Override
    public String flowId() {
        return shared.flowId;
    }

    @Override
    public String runId() {
        return shared.runId;
    }

    @Override
    public String jobId() {
        return shared.jobId;
    }

    @Override
    public String stepId() {
        return stepId;
    }

    @Override
    public String stepType() {
        return stepType;
    }

    @Override
    public StepInputs inputs() {
        return new StrictInputs("job '" + shared.jobId + "' step '" + stepId + "'", inputs);
    }

    @Override
    public Map<String, String> env() {
        synchronized (shared.env) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(shared.env));
        }
    }

    @Override
    public boolean enterpriseMode() {
        return shared.enterprise;
    }

    @Override
    public Path jobDir() {
        return ensure(shared.jobDir);
    }

    @Override
    public Path artifactsDir() {
        return ensure(shared.jobDir.resolve("artifacts"));
    }

    @Override
    public Path scratchDir() {
        return ensure(shared.jobDir.resolve("scratch"));
    }

    @Override
    public Path manifestsDir() {
        return ensure(shared.jobDir.resolve("manifests"));
    }

    private static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        Path abs = (p.isAbsolute() ? p : artifactsDir().resolve(p)).normalize();
        List<Path> roots = shared.allowedRoots.isEmpty() ? List.of(shared.jobDir) : List.copyOf(shared.allowedRoots);
        if (roots.stream().noneMatch(abs::startsWith)) {
            // the sandbox's own text (the engine prefixes job and step ids)
            throw new StepFailedException("Path not under allowed roots: " + path + ". Allowed roots: " + roots);
        }
        return abs;
    }

    @Override
    public <T extends Connector> T connector(String resourceName, Class<T> type) {
        Resource r = shared.resources.get(resourceName);
        if (r == null) {
            throw new StepFailedException("Unknown resource: " + resourceName + ". Known: "
                    + new java.util.TreeSet<>(shared.resources.keySet()) + " (declare it under resources:)");
        }
        Connector c = r.instance() != null ? r.instance()
                : shared.open.computeIfAbsent(resourceName, n -> r.factory().create(r.config()));
        if (!type.isInstance(c)) {
            throw new StepFailedException("Resource " + resourceName + " is kind=" + r.config().kind() + " driver="
                    + r.config().driver() + ", but the step needs a " + type.getSimpleName()
                    + " connector: check the resource's kind");
        }
        return type.cast(c);
    }

    @Override
    public boolean hasResource(String name) {
        return shared.resources.containsKey(name);
    }

    /**
     * As the engine: a policy refusal first; then, per preferred name in order (or the kind's first
     * driver when none is named), the first installed driver answering it; a driver that refuses the
     * options is skipped and its reason kept.
     */
    @Override
    public <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers) {
        return shared.adhoc.connect(kind, contract, options, stepId, this::mask, preferredDrivers);
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        return FakeLock.tryLock(shared.lockTable, key, shared.runId, ttl, shared.journal);
    }

    @Override
    public StepResult runStep(String type, String innerId, Map<String, Object> innerInputs) throws Exception {
        shared.journal.add("inner:" + type + ":" + innerId);
        Step s = shared.steps.get(type);
        if (s == null) {
            throw new StepFailedException("Unknown step type: " + type + ". Loaded: "
                    + new java.util.TreeSet<>(shared.steps.keySet()) + " (inner step of job '" + shared.jobId + "' step '"
                    + stepId + "')");
        }
        FakeStepContext inner = new FakeStepContext(shared).stepId(innerId).stepType(type).inputs(innerInputs);
        StepResult r = s.run(inner);
        shared.results.add(r);
        return r;
    }

    @Override
    public void registerProcess(ProcessHandle process, long processGroup) {
        shared.processes.add(new RegisteredProcess(process.pid(), processGroup, stepId));
        shared.journal.add("process:" + process.pid());
    }

    @Override
    public void event(String level, String event, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>();
        if (fields != null) {
            fields.forEach((k, v) -> f.put(k, v instanceof String s ? mask(s) : v));
        }
        shared.events.add(new Event(level, event, stepId, Collections.unmodifiableMap(f)));
    }

    @Override
    public void log(String level, String message) {
        shared.logs.add(level + " " + mask(message));
    }

    @Override
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        List<String> longestFirst = new ArrayList<>(shared.secrets);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        for (String s : longestFirst) {
            out = out.replace(s, "***");
        }
        return out;
    }
}
