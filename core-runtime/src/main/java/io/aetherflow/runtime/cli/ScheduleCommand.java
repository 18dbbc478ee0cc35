package io.aetherflow.runtime.cli;

import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.PyRepr;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.env.SecretMasker;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.MetricsTextfile;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.schedule.FireRunner;
import io.aetherflow.runtime.schedule.ScheduleItem;
import io.aetherflow.runtime.schedule.Scheduler;
import io.aetherflow.runtime.schedule.SchedulerSpec;
import io.aetherflow.runtime.schedule.StoreClaims;
import io.aetherflow.runtime.validate.FlowValidator;
import io.aetherflow.runtime.validate.StepTypes;
import io.aetherflow.runtime.validate.ValidationReport;
import io.aetherflow.runtime.plugins.PluginCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code aetherflow schedule run|validate|next SCHEDULER_YAML}: the scheduler commands. Runs fire
 * in this process through {@code runner} (normally {@link io.aetherflow.runtime.schedule.FlowFires});
 * fire claims go to the state store of the scheduler's environment
 * ({@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite}).
 *
 * @param catalog the installed plugins (step types for validate)
 * @param out standard output
 * @param err standard error (logs)
 * @param osEnv the process environment
 * @param cwd the working directory
 * @param cacheDir the launcher's cache directory, or null
 * @param clock the time source
 * @param runner what runs a fire
 */
public record ScheduleCommand(PluginCatalog catalog, PrintStream out, PrintStream err, Map<String, String> osEnv,
        Path cwd, Path cacheDir, Clock clock, FireRunner runner) {

    /** Default and largest {@code --stop-grace} (the launcher exits 20 s after a signal at the latest). */
    static final int DEFAULT_STOP_GRACE = 10;
    static final int MAX_STOP_GRACE = 15;
    private static final int DEFAULT_COUNT = 5;

    /**
     * @param c the command
     * @return the exit code
     */
    public int execute(EngineCommand.Schedule c) {
        Path file = cwd.resolve(c.schedulerYaml());
        return switch (c.action()) {
            case NEXT -> next(file, c);
            case VALIDATE -> validate(file, c.json());
            case RUN -> run(file, c);
        };
    }

    private int next(Path file, EngineCommand.Schedule c) {
        SchedulerSpec spec = SchedulerSpec.load(file);
        int count = c.count() == null ? DEFAULT_COUNT : positive("--count", c.count(), 1000);
        Instant from = c.from() == null ? clock.instant() : parseTime(c.from(), spec.zone());
        List<Object> items = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (ScheduleItem item : spec.items()) {
            // "at or after --from": a fire exactly at --from is listed
            List<Instant> times = item.cron().next(from.minusNanos(1), count);
            List<Object> fires = new ArrayList<>();
            text.append(item.id()).append("  ").append(item.cron().expression()).append("  (").append(spec.zone())
                    .append(")\n");
            for (Instant t : times) {
                String local = t.atZone(spec.zone()).toOffsetDateTime().toString();
                String utc = t.atOffset(ZoneOffset.UTC).toString();
                fires.add(Map.of("local", local, "utc", utc));
                text.append("  ").append(local).append("  ").append(utc).append('\n');
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", item.id());
            m.put("cron", item.cron().expression());
            m.put("next", fires);
            items.add(m);
        }
        if (c.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("scheduler_yaml", c.schedulerYaml());
            doc.put("timezone", spec.zone().getId());
            doc.put("from", from.toString());
            doc.put("items", items);
            out.println(Json.writeSpaced(doc));
        } else {
            out.print(text);
        }
        return ExitCodes.OK;
    }

    private int validate(Path file, boolean json) {
        SchedulerSpec spec;
        try {
            spec = SchedulerSpec.load(file);
        } catch (UserError e) {
            if (!json) {
                throw e;
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", false);
            doc.put("scheduler_yaml", file.toString());
            doc.put("errors", List.of(Map.of("msg", String.valueOf(e.getMessage()))));
            out.println(Json.writeSpaced(doc));
            return e.exitCode();
        }
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        FlowValidator validator = new FlowValidator(StepTypes.of(catalog), Set.of());
        int exit = ExitCodes.OK;
        List<Object> items = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (ScheduleItem item : spec.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", item.id());
            m.put("cron", item.cron().expression());
            m.put("flow_yaml", item.flowYaml());
            m.put("bundle_manifest", item.bundleManifest());
            List<Object> errors = new ArrayList<>();
            if (item.flowYaml() != null) {
                try {
                    ValidationReport r = validator.validate(cwd.resolve(item.flowYaml()), env);
                    if (!r.ok()) {
                        exit = Math.max(exit, r.exitCode());
                        errors.addAll((List<?>) r.toJson().get("errors"));
                        r.errors().forEach(i -> {
                            lines.append("- ").append(item.id()).append(": ").append(item.flowYaml()).append(": ")
                                    .append(Quote.escape(i.loc() + ": " + i.code() + " - " + i.msg())).append('\n');
                        });
                    }
                } catch (UserError e) {
                    exit = Math.max(exit, e.exitCode());
                    errors.add(Map.of("msg", String.valueOf(e.getMessage())));
                    lines.append("- ").append(item.id()).append(": ").append(Quote.escape(e.getMessage())).append('\n');
                }
            }
            m.put("ok", errors.isEmpty());
            m.put("errors", errors);
            items.add(m);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", exit == ExitCodes.OK);
            doc.put("scheduler_yaml", file.toString());
            doc.put("timezone", spec.zone().getId());
            doc.put("items", items);
            out.println(Json.writeSpaced(doc));
        } else {
            out.println((exit == ExitCodes.OK ? "OK: " : "INVALID: ") + file + " (" + spec.items().size() + " items, "
                    + spec.zone() + ")");
            out.print(lines);
        }
        return exit;
    }

    private int run(Path file, EngineCommand.Schedule c) {
        SchedulerSpec spec = SchedulerSpec.load(file);
        int grace = c.stopGrace() == null ? DEFAULT_STOP_GRACE : positive("--stop-grace", c.stopGrace(), MAX_STOP_GRACE);
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        Settings settings = Settings.from(env);
        SecretMasker masker = new SecretMasker();
        masker.addEnvSecrets(env);
        EventLog log = new EventLog(err, settings.logLevel(), settings.jsonLogs(), masker::mask, PyRepr::str);
        Path statePath = cwd.resolve(Settings.defaultStatePath(env)).toAbsolutePath().normalize();
        StateTarget target = StateTarget.resolve(null, null, file.toString(), statePath, env);
        try (FireRunner fires = runner; StoreClaims claims = StoreClaims.open(target, cacheDir, env,
                m -> log.log(io.aetherflow.runtime.observe.LogLevel.INFO, "aetherflow.scheduler", m, Map.of()))) {
            ExecutorService workers = Executors.newCachedThreadPool(threads());
            Scheduler scheduler = new Scheduler(spec, clock, claims, runner, workers, log);
            String metrics = env.get(MetricsTextfile.ENV);
            if (metrics != null && !metrics.isBlank() && c.once() == null) {
                scheduler.writeMetricsTo(MetricsTextfile.schedulerFile(metrics));
            }
            if (c.once() != null) {
                try {
                    Integer exit = scheduler.fireNow(c.once());
                    if (exit == null) {
                        throw new UserError(ExitCodes.LOCK_BUSY, "item " + Quote.q(c.once())
                                + ": this fire was already claimed (another scheduler runs it)");
                    }
                    return exit;
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCodes.INVALID, "--once: " + e.getMessage() + " in " + file);
                } finally {
                    workers.shutdownNow();
                }
            }
            try {
                scheduler.runUntilStopped();
                return ExitCodes.OK;
            } catch (InterruptedException e) {
                log.log(io.aetherflow.runtime.observe.LogLevel.INFO, "aetherflow.scheduler",
                        "Scheduler stopping: no new fires; running flows get " + grace + " s", Map.of());
                boolean clean = scheduler.stop(Duration.ofSeconds(grace));
                return clean ? ExitCodes.OK : ExitCodes.INTERRUPTED;
            }
        }
    }

    private static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "aetherflow-fire-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static int positive(String option, String value, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(ExitCodes.INVALID, option + " " + Quote.q(value) + ": expected a whole number from 1 to " + max);
    }

    /**
     * @param text an instant ({@code 2027-03-28T00:00:00Z}), an offset or zoned time, a local time or a
     *             date (both read in the scheduler's zone)
     * @param zone the scheduler's zone
     * @return the instant
     */
    static Instant parseTime(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return ZonedDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserError(ExitCodes.INVALID, "--from " + Quote.q(text) + ": not an ISO-8601 time (e.g. "
                    + "2027-03-28T01:30:00Z, 2027-03-28T01:30+01:00 or 2027-03-28T01:30 in the scheduler's zone)");
        }
    }
}
