package io.aetherflow.runtime.run;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.PyRepr;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.env.Profiles;
import io.aetherflow.runtime.env.ResolvedResource;
import io.aetherflow.runtime.env.ResourceBuilder;
import io.aetherflow.runtime.env.SecretMasker;
import io.aetherflow.runtime.env.SecretsProviders;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.observe.MetricsTextfile;
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.observe.StartupPhases;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.spec.FlowMeta;
import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.spec.SpecParser;
import io.aetherflow.runtime.state.RunDetails;
import io.aetherflow.runtime.state.RunHeartbeat;
import io.aetherflow.runtime.state.RunMeta;
import io.aetherflow.runtime.state.SqliteNative;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StoreOptions;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.validate.FlowValidator;
import io.aetherflow.runtime.validate.StepTypes;
import io.aetherflow.runtime.validate.ValidationReport;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlCache;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code aetherflow run}: environment snapshot, secrets provider, validation, flow-meta
 * rendering, state store, resources, the job loop, and the final {@code run_end} event on every
 * outcome. Failures before execution become {@link UserError}s with their exit code; failures
 * after {@code run_start} are recorded in the state store and summarised in {@code run_end}.
 */
public final class FlowRun {

    private final PluginCatalog catalog;
    private final Map<String, Connector> processCache;
    private final PrintStream err;
    private final StoreOpener stores;
    private final StartupPhases phases;

    /** Opens the run's state store; its {@code close()} ends the run's use of it. */
    @FunctionalInterface
    public interface StoreOpener {

        /**
         * @param target the store the flow names
         * @param cacheDir where the SQLite native library is kept
         * @param env the run's environment snapshot
         * @return the open store
         */
        StateStore open(StateTarget target, Path cacheDir, Map<String, String> env);
    }

    /**
     * A run that opens its state store itself ({@link StoreAccess#open}) and closes it at its end.
     *
     * @param catalog installed plugins
     * @param processCache engine-wide connector cache
     * @param err where logs go
     */
    public FlowRun(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err) {
        this(catalog, processCache, err, StoreAccess::open);
    }

    /**
     * @param catalog installed plugins
     * @param processCache engine-wide connector cache
     * @param err where logs go
     * @param stores opens the state store (the scheduler's warm host hands out pooled stores)
     */
    public FlowRun(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err, StoreOpener stores) {
        this.catalog = catalog;
        this.processCache = processCache;
        this.err = err;
        this.stores = stores;
        this.phases = StartupPhases.OFF;
    }

    private FlowRun(FlowRun base, StartupPhases phases) {
        this.catalog = base.catalog;
        this.processCache = base.processCache;
        this.err = base.err;
        this.stores = base.stores;
        this.phases = phases;
    }

    /**
     * @param phases where the start-up phases are reported ({@code AETHERFLOW_LOG_LEVEL=DEBUG})
     * @return this run reporting its phases there
     */
    public FlowRun withPhases(StartupPhases phases) {
        return new FlowRun(this, phases);
    }

    /**
     * Runs the flow.
     *
     * @param req what to run
     * @return the exit code
     */
    public int execute(RunRequest req) {
        String runId = req.runId() == null ? RunIds.newRunId() : RunIds.checkSegment("--run-id", req.runId());
        Map<String, String> env = EnvSnapshot.build(req.osEnv(), req.cwd());
        if (req.bundle() != null) {
            env = Collections.unmodifiableMap(req.bundle().apply(env, true));
        }
        Set<String> zipDrivers = req.bundle() == null ? Set.of() : req.bundle().zipDrivers();
        Settings settings = Settings.from(env);
        SecretMasker masker = new SecretMasker();
        masker.addEnvSecrets(env);
        EventLog log = new EventLog(err, settings.logLevel(), settings.jsonLogs(), masker::mask, PyRepr::str);

        Optional<SecretsProvider> provider = SecretsProviders.resolve(settings, catalog::secrets);
        env = SecretsProviders.expandEnv(provider, env, masker);
        Path cacheDir = req.cacheDir() != null ? req.cacheDir() : StoreAccess.cacheDir(env);
        phases.phase("environment and settings read");
        try (StoreAccess.Preload preload = StoreAccess.preload(cacheDir)) {
            LoadedYaml yaml = YamlLoader.load(req.flowYaml(), YamlCache.in(cacheDir, req.pluginSetHash()));
            phases.phase("flow file loaded");
            ValidationReport report = new FlowValidator(StepTypes.of(catalog), zipDrivers).validate(yaml, env);
            phases.phase("flow validated");
            if (!report.ok()) {
                for (Issue e : report.errors()) {
                    err.println("aetherflow: invalid flow: " + issueLine(e));
                }
                throw new UserError(report.exitCode(), "validation failed: " + report.errors().size()
                        + " error(s) in " + req.flowYaml() + " (see 'aetherflow validate --flow-yaml " + req.flowYaml()
                        + "')");
            }
            FlowSpec spec = report.spec();
            if (req.flowJob() != null && spec.jobs().stream().noneMatch(j -> j.id().equals(req.flowJob()))) {
                throw new UserError(ExitCodes.INVALID, "--flow-job " + Quote.q(req.flowJob()) + ": no such job in "
                        + req.flowYaml() + "; jobs: " + spec.jobs().stream().map(j -> j.id()).toList());
            }
            FlowMeta meta = renderFlowMeta(spec, env, req.flowYaml());
            String flowId = RunIds.checkSegment("flow.id", meta.id());
            Map<String, Object> ids = new LinkedHashMap<>();
            ids.put("flow_id", flowId);
            ids.put("run_id", runId);
            for (Issue w : report.warnings()) {
                log.log(LogLevel.WARNING, "aetherflow.core.validation", issueLine(w), ids);
            }
            log.log(LogLevel.INFO, "aetherflow.core.runner", "Validated flow yaml " + req.flowYaml(), ids);
            Path root = req.cwd().resolve(meta.workspace().root()).toAbsolutePath().normalize();
            settings = settings.withWorkRoot(root.toString());
            Map<String, String> runEnv = new LinkedHashMap<>(env);
            if (req.bundle() == null) {
                runEnv.put("AETHERFLOW_LOCAL_ROOT_DIR", root.toString());
                runEnv.put("AETHERFLOW_ACTIVE_DIR", root.toString());
                runEnv.put("AETHERFLOW_CACHE_DIR", root.toString());
            }
            runEnv = Collections.unmodifiableMap(runEnv);
            checkWritable(root);
            phases.phase("flow block rendered, workspace root checked");

            Path statePath = req.cwd().resolve(statePathOf(spec, meta, env)).toAbsolutePath().normalize();
            StateStore store = stores.open(StateTarget.resolve(backendOf(spec, meta), meta.state().url(),
                    String.valueOf(req.flowYaml()), statePath, env), cacheDir, env);
            phases.phase("state store open");
            try {
                return executeWithStore(new RunPlan(req, spec, meta, flowId, runId, yaml.sha256()),
                        new RunEnvironment(root, settings, runEnv, masker, log, provider), store);
            } finally {
                store.close();
                phases.phase("state store closed");
            }
        }
    }

    /**
     * What one run executes.
     *
     * @param req the request
     * @param spec the validated flow
     * @param meta its rendered flow block
     * @param flowId flow id
     * @param runId run id
     * @param flowSha256 the SHA-256 of the flow file's bytes as loaded (hex)
     */
    private record RunPlan(RunRequest req, FlowSpec spec, FlowMeta meta, String flowId, String runId,
            String flowSha256) {
    }

    /**
     * Where and with what it runs.
     *
     * @param root the workspace root
     * @param settings the run's settings
     * @param runEnv the run's environment (unmodifiable)
     * @param masker the secret masker
     * @param log the event log
     * @param provider the secrets provider, if any
     */
    private record RunEnvironment(Path root, Settings settings, Map<String, String> runEnv, SecretMasker masker,
            EventLog log, Optional<SecretsProvider> provider) {
    }

    private int executeWithStore(RunPlan plan, RunEnvironment renv, StateStore store) {
        RunRequest req = plan.req();
        String flowId = plan.flowId();
        String runId = plan.runId();
        EventLog log = renv.log();
        SecretMasker masker = renv.masker();
        Settings settings = renv.settings();
        RunJournal journal = RunJournal.begin(store, log, catalog.listeners(), flowId, runId,
                RunMeta.current(req.pluginSetHash(), req.flowYaml().toString(), plan.flowSha256()));
        RunObserver observer = journal.observer();
        String metrics = settings.metricsModule();
        Workspace workspace = new Workspace(renv.root(), flowId, runId, plan.meta().workspace().layout());
        String status = "FAILED";
        String error = null;
        int exit = ExitCodes.JOB_FAILED;
        try (RunHeartbeat heartbeat = RunHeartbeat.start(store, flowId, runId, journal::runWarning);
                LockService locks = new StoreLocks(store, runId, log, observer)) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("plugin_set_hash", req.pluginSetHash());
            journal.runStarted(req.flowYaml().toString(), extra);
            phases.phase("run started");
            if (metrics != null && !metrics.isBlank()
                    && catalog.listeners().stream().noneMatch(l -> l.getKey().equals(metrics))) {
                throw new UserError(ExitCodes.PLUGINS, "AETHERFLOW_METRICS_MODULE=" + metrics
                        + ": no run listener service with aetherflow.metrics.name=" + metrics + " is installed");
            }
            ResourceBuilder builder = new ResourceBuilder(Profiles.load(renv.runEnv()), renv.provider(), masker);
            if (settings.enterpriseMode()) {
                builder = builder.withArchiveAllowlist(req.bundle() == null ? Set.of() : req.bundle().zipDrivers());
            }
            Map<String, ResolvedResource> resources = builder.buildAll(plan.spec().resources(), renv.runEnv());
            try (ConnectorManager connectors = new ConnectorManager(catalog, FlowRunner.connectorConfigs(resources),
                    settings.connectorCacheDefault(), settings.connectorCacheDisabled(), processCache,
                    (name, e) -> journal.runWarning("Connector close failed resource=" + name + ": " + e))) {
                RunSession session = new RunSession(flowId, runId, renv.runEnv(), settings.modeEnterprise(),
                        settings.strictSandbox(), renv.root(), workspace, catalog, connectors, locks, log, observer,
                        masker::mask);
                phases.phase("resources and connectors ready");
                JobOutcome outcome = new FlowRunner(session, store, plan.spec(), plan.meta(), req.flowJob()).runJobs();
                status = outcome.status();
                error = outcome.error();
                exit = outcome.exitCode();
            }
        } catch (UserError e) {
            error = masker.mask(e.getMessage());
            exit = e.exitCode();
            log.log(LogLevel.ERROR, observer.logger(), error, observer.ids(null, null));
            debugTrace(log, observer, e.getCause());
        } catch (RuntimeException e) {
            error = masker.mask(Errors.oneLine(e));
            exit = Errors.exitCode(e);
            log.log(LogLevel.ERROR, observer.logger(), error, observer.ids(null, null));
            debugTrace(log, observer, e);
        } finally {
            if (Thread.interrupted() || exit == ExitCodes.INTERRUPTED) {
                status = "INTERRUPTED";
                exit = ExitCodes.INTERRUPTED;
            }
            phases.phase("jobs ended");
            exit = journal.runEnded(status, error, exit);
            writeMetrics(renv, store, flowId, runId, exit);
            phases.phase("run ended");
        }
        return exit;
    }

    /** {@code AETHERFLOW_METRICS_TEXTFILE}: the run's metrics, written at its end; a failure is a warning only. */
    private static void writeMetrics(RunEnvironment renv, StateStore store, String flowId, String runId, int exit) {
        String setting = renv.runEnv().get(MetricsTextfile.ENV);
        if (setting == null || setting.isBlank()) {
            return;
        }
        try {
            Optional<RunDetails> run = store.getRun(flowId, runId);
            if (run.isPresent()) {
                MetricsTextfile.write(MetricsTextfile.runFile(setting, flowId), MetricsTextfile.runMetrics(run.get(), exit));
            }
        } catch (IOException | RuntimeException e) {
            renv.log().log(LogLevel.WARNING, "aetherflow.core.metrics", MetricsTextfile.ENV + "=" + setting
                    + ": metrics not written: " + e, Map.of("flow_id", flowId, "run_id", runId));
        }
    }

    private static String issueLine(Issue i) {
        String where = i.where();
        return Quote.escape(i.loc() + ": " + i.code() + " - " + i.msg() + (where == null ? "" : " (" + where + ")"));
    }

    private static FlowMeta renderFlowMeta(FlowSpec spec, Map<String, String> env, Path file) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> rendered = (Map<String, Object>) TemplateResolver.render(spec.rawFlow(), Phase.FLOW_META,
                    Map.of("env", env));
            return SpecParser.parseFlowMeta(rendered);
        } catch (RuntimeException e) {
            throw new UserError(ExitCodes.INVALID, file + ": flow block: " + Errors.oneLine(e));
        }
    }

    /**
     * {@code flow.state.path} when the flow sets it, else {@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite}
     * (default {@code /tmp/state/aetherflow.sqlite}, the reference's default).
     */
    static String statePathOf(FlowSpec spec, FlowMeta meta, Map<String, String> env) {
        if (spec.rawFlow() != null && spec.rawFlow().get("state") instanceof Map<?, ?> state
                && state.containsKey("path")) {
            return meta.state().path();
        }
        return Settings.defaultStatePath(env);
    }

    /** @return {@code flow.state.backend} when the flow sets it, else null */
    static String backendOf(FlowSpec spec, FlowMeta meta) {
        return spec.rawFlow() != null && spec.rawFlow().get("state") instanceof Map<?, ?> state
                && state.containsKey("backend") ? meta.state().backend() : null;
    }

    private static void checkWritable(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UserError(ExitCodes.ENVIRONMENT, "workspace root " + root + " cannot be created: "
                    + Workspace.reason(e) + " (set flow.workspace.root to a writable directory)", e);
        }
        if (!Files.isWritable(root)) {
            throw new UserError(ExitCodes.ENVIRONMENT, "workspace root " + root
                    + " is not writable (set flow.workspace.root to a writable directory)");
        }
    }

    /** The cause behind a run-stopping error (e.g. a secrets hook's Python traceback), at DEBUG only; masked by the log. */
    private static void debugTrace(EventLog log, RunObserver observer, Throwable cause) {
        if (cause != null && log.enabled(LogLevel.DEBUG)) {
            java.io.StringWriter sw = new java.io.StringWriter();
            cause.printStackTrace(new java.io.PrintWriter(sw));
            log.log(LogLevel.DEBUG, observer.logger(), sw.toString(), observer.ids(null, null));
        }
    }
}
