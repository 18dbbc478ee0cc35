package io.aetherflow.runtime.cli;

import io.aetherflow.api.support.Json;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.run.StoreAccess;
import io.aetherflow.runtime.state.JobRecord;
import io.aetherflow.runtime.state.RunDetails;
import io.aetherflow.runtime.state.RunRecord;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StepRecord;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code aetherflow runs [list]} and {@code aetherflow runs show RUN_ID}: read the state store, after
 * marking runs whose process died as INTERRUPTED. {@code cacheDir} is the launcher's cache directory,
 * or null to compute it from the environment.
 */
record RunsCommand(PrintStream out, PrintStream err, Map<String, String> osEnv, Path cwd, Path cacheDir) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    int execute(EngineCommand.Runs a) {
        String sub = a.show() ? "show" : "list";
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        StateTarget target = stateTarget(a, env);
        Path file = target.sqlite();
        if (file != null && !Files.exists(file)) {
            throw new UserError(ExitCodes.INVALID, "no state store at " + file
                    + " (pass --state PATH or --flow-yaml FLOW_YAML of a flow that has run)");
        }
        String db = target.location(); // the file, or the PostgreSQL URL with the password masked
        // --flow-yaml names a flow: its state file and its runs (--flow-id, when given, names the flow)
        String flowId = a.flowId();
        String flowSource = flowId == null ? null : "--flow-id";
        if (flowId == null && a.flowYaml() != null) {
            flowId = flowIdOf(a.flowYaml(), env);
            flowSource = flowId == null ? null : "--flow-yaml " + a.flowYaml();
        }
        try (StateStore store = StoreAccess.open(target, cacheDir != null ? cacheDir : StoreAccess.cacheDir(env), env)) {
            store.markDeadRuns();
            // finding a run dead kills what it left running: say so (stdout stays the report)
            for (String killed : store.takeReaped()) {
                err.println("aetherflow: " + killed);
            }
            if (sub.equals("list")) {
                if (!a.positionals().isEmpty()) {
                    throw Usage.error("runs list", "unrecognized arguments: "
                            + Usage.argument(String.join(" ", a.positionals())));
                }
                int limit = parseLimit(a.limit());
                List<RunRecord> runs = store.listRuns(limit, flowId);
                if (a.json()) {
                    List<Object> list = new ArrayList<>();
                    for (RunRecord r : runs) {
                        list.add(runJson(r));
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("state_store", db);
                    m.put("runs", list);
                    out.println(Json.writeSpaced(m));
                } else {
                    printList(target.location(), runs);
                }
                return ExitCodes.OK;
            }
            if (a.positionals().size() != 1) {
                throw Usage.error("runs show", "expected exactly one RUN_ID");
            }
            String runId = a.positionals().get(0);
            List<String> flows = store.listRuns(Integer.MAX_VALUE, null).stream()
                    .filter(r -> r.runId().equals(runId)).map(RunRecord::flowId).distinct().sorted().toList();
            if (flowId == null && flows.size() > 1) {
                throw new UserError(ExitCodes.INVALID, "run id " + Quote.q(runId) + " exists for several flows " + flows
                        + " in " + db + ": pass --flow-id FLOW_ID (or --flow-yaml of that flow)");
            }
            String fid = flowId;
            String source = flowSource;
            RunDetails d = (fid == null ? store.getRun(runId) : store.getRun(fid, runId)).orElseThrow(() -> {
                if (fid == null) {
                    return new UserError(ExitCodes.INVALID, "no run " + Quote.q(runId) + " in " + db
                            + " (see 'aetherflow runs list')");
                }
                if (flows.isEmpty()) {
                    return new UserError(ExitCodes.INVALID, "no run " + Quote.q(runId) + " of flow '" + fid + "' (from "
                            + source + ") in " + db + " (see 'aetherflow runs list --flow-id " + fid + "')");
                }
                return new UserError(ExitCodes.INVALID, "run " + Quote.q(runId) + " in " + db + " belongs to flow "
                        + String.join(", ", flows) + ", not to flow '" + fid + "' (from " + source
                        + "): pass --flow-id " + flows.get(0) + " or the --flow-yaml of that flow");
            });
            if (a.json()) {
                out.println(Json.writeSpaced(detailsJson(d)));
            } else {
                printDetails(d);
            }
            return ExitCodes.OK;
        }
    }

    private static int parseLimit(String s) {
        if (s == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Usage.error("runs list", "argument --limit: expected a positive integer, got " + Quote.q(s));
    }

    private Map<?, ?> flowBlock(String flowYaml) {
        Object data = YamlLoader.load(cwd.resolve(flowYaml)).data();
        if (data instanceof Map<?, ?> root && root.get("flow") instanceof Map<?, ?> flow) {
            return flow;
        }
        return Map.of();
    }

    private String flowIdOf(String flowYaml, Map<String, String> env) {
        Object id = flowBlock(flowYaml).get("id");
        return id == null ? null : String.valueOf(TemplateResolver.render(id, Phase.FLOW_META, Map.of("env", env)));
    }

    /**
     * {@code --state} ({@code PATH}, {@code sqlite:PATH}, {@code postgres:URL} or a PostgreSQL URL),
     * else the store of {@code --flow-yaml}'s flow, else {@code AETHERFLOW_STATE_URL}, else the
     * default SQLite file: the rule of {@link StateTarget#resolve}.
     */
    private StateTarget stateTarget(EngineCommand.Runs a, Map<String, String> env) {
        if (a.state() != null) {
            return StateTarget.ofOption(a.state(), "--state", cwd);
        }
        Path dflt = cwd.resolve(Settings.defaultStatePath(env)).toAbsolutePath().normalize();
        if (a.flowYaml() != null && flowBlock(a.flowYaml()).get("state") instanceof Map<?, ?> state) {
            Path file = dflt;
            if (state.get("path") != null) {
                Object rendered = TemplateResolver.render(state.get("path"), Phase.FLOW_META, Map.of("env", env));
                file = cwd.resolve(String.valueOf(rendered)).toAbsolutePath().normalize();
            }
            Object url = state.get("url") == null ? null
                    : TemplateResolver.render(state.get("url"), Phase.FLOW_META, Map.of("env", env));
            Object backend = state.get("backend");
            return StateTarget.resolve(backend == null ? null : String.valueOf(backend),
                    url == null ? null : String.valueOf(url), a.flowYaml(), file, env);
        }
        return StateTarget.resolve(null, null, "--state", dflt, env);
    }

    private static String time(Long ms) {
        return ms == null ? "-" : TIME.format(Instant.ofEpochMilli(ms));
    }

    private static String duration(Long ms) {
        if (ms == null) {
            return "-";
        }
        return ms < 10_000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }

    private void printList(String db, List<RunRecord> runs) {
        out.println("State store: " + db);
        if (runs.isEmpty()) {
            out.println("(no runs)");
            return;
        }
        out.println(String.format("%-16s %-20s %-12s %-19s %-10s %s", "RUN_ID", "FLOW_ID", "STATUS", "STARTED",
                "DURATION", "HOST/PID"));
        for (RunRecord r : runs) {
            out.println(String.format("%-16s %-20s %-12s %-19s %-10s %s", r.runId(), r.flowId(), r.status(),
                    time(r.startedAtMs()), duration(r.durationMs()), r.host() + "/" + r.pid()));
        }
    }

    private static Map<String, Object> runJson(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow_id", r.flowId());
        m.put("run_id", r.runId());
        m.put("status", r.status().name());
        m.put("started_at_ms", r.startedAtMs());
        m.put("ended_at_ms", r.endedAtMs());
        m.put("duration_ms", r.durationMs());
        m.put("heartbeat_at_ms", r.heartbeatAtMs());
        m.put("host", r.host());
        m.put("pid", r.pid());
        m.put("attempt", r.attempt());
        m.put("plugin_set_hash", r.pluginSetHash());
        m.put("flow_yaml", r.flowYaml());
        m.put("flow_sha256", r.flowSha256());
        m.put("error", r.error());
        return m;
    }

    private static Map<String, Object> detailsJson(RunDetails d) {
        Map<String, Object> m = runJson(d.run());
        List<Object> jobs = new ArrayList<>();
        for (JobRecord j : d.jobs()) {
            Map<String, Object> jm = new LinkedHashMap<>();
            jm.put("job_id", j.jobId());
            jm.put("status", j.status());
            jm.put("started_at_ms", j.startedAtMs());
            jm.put("ended_at_ms", j.endedAtMs());
            jm.put("duration_ms", j.durationMs());
            jm.put("outputs", j.outputs());
            jm.put("error", j.error());
            List<Object> steps = new ArrayList<>();
            for (StepRecord s : d.steps()) {
                if (s.jobId().equals(j.jobId())) {
                    Map<String, Object> sm = new LinkedHashMap<>();
                    sm.put("step_id", s.stepId());
                    sm.put("step_type", s.stepType());
                    sm.put("status", s.status());
                    sm.put("served_by", s.servedBy());
                    sm.put("started_at_ms", s.startedAtMs());
                    sm.put("duration_ms", s.durationMs());
                    sm.put("outputs", s.outputs());
                    sm.put("error", s.error());
                    steps.add(sm);
                }
            }
            jm.put("steps", steps);
            jobs.add(jm);
        }
        m.put("jobs", jobs);
        return m;
    }

    private void printDetails(RunDetails d) {
        RunRecord r = d.run();
        out.println("Run " + r.runId() + " of flow " + r.flowId() + ": " + r.status());
        out.println("  started   " + time(r.startedAtMs()) + "   ended " + time(r.endedAtMs()) + "   duration "
                + duration(r.durationMs()));
        out.println("  host      " + r.host() + " pid " + r.pid() + " (attempt " + r.attempt() + ")");
        out.println("  flow      " + r.flowYaml() + (r.flowSha256() == null ? "" : " sha256:" + r.flowSha256()));
        out.println("  plugins   " + (r.pluginSetHash() == null ? "-" : "sha256:" + r.pluginSetHash()));
        if (r.error() != null) {
            out.println("  error     " + r.error());
        }
        for (JobRecord j : d.jobs()) {
            out.println();
            out.println("  job " + j.jobId() + ": " + j.status() + " (" + duration(j.durationMs()) + ")"
                    + (j.error() == null ? "" : " - " + j.error()));
            if (!j.outputs().isEmpty()) {
                out.println("    outputs " + Json.writeSpaced(j.outputs()));
            }
            for (StepRecord s : d.steps()) {
                if (s.jobId().equals(j.jobId())) {
                    out.println("    step " + s.stepId() + " [" + s.stepType() + "] " + s.status() + " ("
                            + duration(s.durationMs()) + ")" + (s.servedBy() == null ? "" : " by " + s.servedBy())
                            + (s.error() == null ? "" : " - " + s.error()));
                    if (!s.outputs().isEmpty()) {
                        out.println("      outputs " + Json.writeSpaced(s.outputs()));
                    }
                }
            }
        }
    }
}
