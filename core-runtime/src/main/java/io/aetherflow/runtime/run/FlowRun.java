package io.aetherflow.runtime.run;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
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
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.spec.FlowMeta;
import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.json.Json;
import io.aetherflow.runtime.state.RunHeartbeat;
import io.aetherflow.runtime.state.RunMeta;
import io.aetherflow.runtime.state.RunStatus;
import io.aetherflow.runtime.state.SqliteNative;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StateStoreException;
import io.aetherflow.runtime.state.StoreOptions;
import java.time.Duration;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.PyRepr;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.validate.ValidationReport;
import io.aetherflow.runtime.validate.FlowValidator;
import io.aetherflow.runtime.validate.StepTypes;
import io.aetherflow.runtime.spec.SpecParser;
import java.util.Set;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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

    /**
     * @param catalog installed plugins
     * @param processCache engine-wide connector cache
     * @param err where logs go
     */
    public FlowRun(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err) {
        this.catalog = catalog;
        this.processCache = processCache;
        this.err = err;
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
        Settings settings = Settings.from(env);
        SecretMasker masker = new SecretMasker();
        masker.addEnvSecrets(env);
        EventLog log = new EventLog(err, settings.logLevel(), settings.jsonLogs(), masker::mask, PyRepr::str);

        Optional<SecretsProvider> provider = SecretsProviders.resolve(settings, catalog::secrets);
        env = SecretsProviders.expandEnv(provider, env, masker);
        Path cacheDir = req.cacheDir() != null ? req.cacheDir() : StoreAccess.cacheDir(env);
        try (StoreAccess.Preload preload = StoreAccess.preload(cacheDir)) {
            ValidationReport report = new FlowValidator(StepTypes.of(catalog), Set.of()).validate(req.flowYaml(),
                    env);
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
            runEnv.put("AETHERFLOW_LOCAL_ROOT_DIR", root.toString());
            runEnv.put("AETHERFLOW_ACTIVE_DIR", root.toString());
            runEnv.put("AETHERFLOW_CACHE_DIR", root.toString());
            runEnv = Collections.unmodifiableMap(runEnv);
            checkWritable(root);

            Path statePath = req.cwd().resolve(statePathOf(spec, meta, env)).toAbsolutePath().normalize();
            StateStore store = StoreAccess.open(statePath, cacheDir, env);
            try {
                return executeWithStore(req, spec, meta, flowId, runId, root, settings, runEnv, masker, log, store,
                        provider);
            } finally {
                store.close();
            }
        }
    }

    private int executeWithStore(RunRequest req, FlowSpec spec, FlowMeta meta, String flowId, String runId, Path root,
            Settings settings, Map<String, String> runEnv, SecretMasker masker, EventLog log, StateStore store,
            Optional<SecretsProvider> provider) {
        store.beginRun(flowId, runId, RunMeta.current(req.pluginSetHash(), req.flowYaml().toString(),
                sha256(req.flowYaml())));
        RunObserver observer = new RunObserver(log, flowId, runId, catalog.listeners());
        for (String killed : store.takeReaped()) {
            log.log(LogLevel.WARNING, observer.logger(), killed, observer.ids(null, null));
        }
        String metrics = settings.metricsModule();
        Workspace workspace = new Workspace(root, flowId, runId, meta.workspace().layout());
        String status = "FAILED";
        String error = null;
        int exit = ExitCodes.JOB_FAILED;
        boolean interrupted = false;
        try (RunHeartbeat heartbeat = RunHeartbeat.start(store, flowId, runId,
                problem -> log.log(LogLevel.WARNING, observer.logger(), problem, observer.ids(null, null)));
                LockService locks = new StoreLocks(store, runId, log, observer)) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("plugin_set_hash", req.pluginSetHash());
            observer.runStart(req.flowYaml().toString(), extra);
            if (metrics != null && !metrics.isBlank()
                    && catalog.listeners().stream().noneMatch(l -> l.getKey().equals(metrics))) {
                throw new UserError(ExitCodes.PLUGINS, "AETHERFLOW_METRICS_MODULE=" + metrics
                        + ": no run listener service with aetherflow.metrics.name=" + metrics + " is installed");
            }
            ResourceBuilder builder = new ResourceBuilder(Profiles.load(runEnv), provider, masker);
            if (settings.enterpriseMode()) {
                builder = builder.withArchiveAllowlist(Set.of());
            }
            Map<String, ResolvedResource> resources = builder.buildAll(spec.resources(), runEnv);
            try (ConnectorManager connectors = new ConnectorManager(catalog, FlowRunner.connectorConfigs(resources),
                    settings.connectorCacheDefault(), settings.connectorCacheDisabled(), processCache,
                    (name, e) -> log.log(LogLevel.WARNING, observer.logger(), "Connector close failed resource=" + name
                            + ": " + e, observer.ids(null, null)))) {
                RunSession session = new RunSession(flowId, runId, runEnv, settings.modeEnterprise(),
                        settings.strictSandbox(), root, workspace, catalog, connectors, locks, log, observer,
                        masker::mask);
                JobOutcome outcome = new FlowRunner(session, store, spec, meta, req.flowJob()).runJobs();
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
            interrupted = Thread.interrupted() || exit == ExitCodes.INTERRUPTED;
            if (interrupted) {
                status = "INTERRUPTED";
                exit = ExitCodes.INTERRUPTED;
            }
            Map<String, Object> summary = observer.summary(status, error);
            try {
                endRun(store, flowId, runId, RunStatus.valueOf(status), error, Json.write(summary), log, observer);
            } catch (RuntimeException e) {
                log.log(LogLevel.ERROR, observer.logger(), "could not record the end of the run: " + Errors.oneLine(e),
                        observer.ids(null, null));
                if (exit == ExitCodes.OK) {
                    exit = ExitCodes.ENVIRONMENT;
                }
            }
            observer.runEnd(summary);
        }
        return exit;
    }

    /** Attempts of {@link StateStore#endRun} while the store is locked by another process. */
    static final int END_RUN_ATTEMPTS = 4;

    /**
     * Records the run's end; a store that is busy (locked by another process for longer than the
     * busy timeout) is retried, so a run whose step write failed for that reason still ends FAILED
     * in the store instead of being found dead (INTERRUPTED) later.
     */
    private static void endRun(StateStore store, String flowId, String runId, RunStatus status, String error,
            String summary, EventLog log, RunObserver observer) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.endRun(flowId, runId, status, error, summary);
                return;
            } catch (StateStoreException e) {
                if (attempt >= END_RUN_ATTEMPTS || !e.busy()) {
                    throw e;
                }
                log.log(LogLevel.WARNING, observer.logger(), "state store busy while recording the end of the run"
                        + " (attempt " + attempt + " of " + END_RUN_ATTEMPTS + "), retrying", observer.ids(null, null));
            }
        }
    }

    private static String issueLine(Issue i) {
        String where = i.where();
        return Quote.escape(i.loc() + ": " + i.code() + " - " + i.msg() + (where == null ? "" : " (" + where + ")"));
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
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
