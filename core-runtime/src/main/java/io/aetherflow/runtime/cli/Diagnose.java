package io.aetherflow.runtime.cli;

import io.aetherflow.launch.EngineCommand;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.bundle.BundleWiring;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.env.SecretMasker;
import io.aetherflow.runtime.env.SecretsProviders;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.observe.StartupPhases;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.validate.Diagnostics;
import io.aetherflow.runtime.validate.DoctorReport;
import io.aetherflow.runtime.validate.ExplainReport;
import io.aetherflow.runtime.validate.FlowValidator;
import io.aetherflow.runtime.validate.StepTypes;
import io.aetherflow.runtime.validate.ValidationReport;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlCache;
import io.aetherflow.runtime.yaml.YamlLoadException;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code validate}, {@code doctor} and {@code explain}: diagnostics that never run anything. */
public final class Diagnose {

    private final PluginCatalog catalog;
    private final PrintStream out;
    private final Map<String, String> osEnv;
    private final Path cwd;
    private final BundleCommand bundles;
    private StartupPhases phases = StartupPhases.OFF;
    private YamlCache flows = YamlCache.NONE;

    Diagnose(PluginCatalog catalog, PrintStream out, Map<String, String> osEnv, Path cwd, BundleCommand bundles) {
        this.catalog = catalog;
        this.out = out;
        this.osEnv = osEnv;
        this.cwd = cwd;
        this.bundles = bundles;
    }

    /**
     * @param phases where the start-up phases are reported ({@code AETHERFLOW_LOG_LEVEL=DEBUG})
     * @return this
     */
    Diagnose withPhases(StartupPhases phases) {
        this.phases = phases;
        return this;
    }

    /**
     * @param flows where loaded flow files are remembered between launches
     * @return this
     */
    Diagnose withYamlCache(YamlCache flows) {
        this.flows = flows;
        return this;
    }

    /**
     * The diagnostic environment snapshot: OS env, env files, then the secrets provider's
     * {@code expandEnv} (the same provider contract as {@code run}).
     *
     * @param catalog where provider services come from
     * @param osEnv process environment
     * @param cwd working directory
     * @return the snapshot
     */
    public static Map<String, String> diagnosticEnv(PluginCatalog catalog, Map<String, String> osEnv, Path cwd) {
        return diagnosticEnv(catalog, osEnv, cwd, null);
    }

    private static Map<String, String> diagnosticEnv(PluginCatalog catalog, Map<String, String> osEnv, Path cwd,
            BundleWiring bundle) {
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        if (bundle != null) {
            env = bundle.apply(env, false);
        }
        Optional<SecretsProvider> provider = SecretsProviders.resolve(Settings.from(env), catalog::secrets);
        return SecretsProviders.expandEnv(provider, env, new SecretMasker());
    }

    int execute(EngineCommand.Check check) {
        String command = check.name();
        BundleWiring bundle = check.bundleManifest() == null ? null
                : bundles.prepare(check.bundleManifest(), check.allowStaleBundle(), false);
        Path path = bundle == null ? Path.of(check.flowYaml()) : bundle.flowFor(check.flowYaml());
        Map<String, String> env = diagnosticEnv(catalog, osEnv, cwd, bundle);
        phases.phase("environment read");
        Set<String> zipDrivers = bundle == null ? Set.of() : bundle.zipDrivers();
        boolean json = check.json();
        try {
            return report(command, path, env, json, zipDrivers);
        } catch (YamlLoadException e) {
            if (!json) {
                throw e;
            }
            // --json promises one JSON document on stdout, also for a file that is not loadable YAML
            out.println(Json.writeSpaced(unloadable(command, path, e)));
            return ExitCodes.INVALID;
        }
    }

    private static Map<String, Object> unloadable(String command, Path path, YamlLoadException e) {
        String prefix = e.line() > 0 ? e.source() + ":" + e.line() + ":" + e.column() + ": " : e.source() + ": ";
        String msg = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("code", "yaml:invalid");
        issue.put("loc", "<root>");
        issue.put("msg", msg);
        if (e.line() > 0) {
            issue.put("line", e.line());
            issue.put("column", e.column());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ok", false);
        if (command.equals("doctor")) {
            report.put("flow_yaml", path.toString());
            report.put("missing_env", List.of());
            report.put("errors", List.of(issue));
            report.put("warnings", List.of());
        } else {
            report.put("errors", List.of(issue));
            report.put("flow_yaml", path.toString());
        }
        return report;
    }

    private int report(String command, Path path, Map<String, String> env, boolean json, Set<String> zipDrivers) {
        switch (command) {
            case "validate": {
                LoadedYaml yaml = YamlLoader.load(path, flows);
                phases.phase("flow file loaded");
                ValidationReport report = new FlowValidator(StepTypes.of(catalog), zipDrivers).validate(yaml, env);
                phases.phase("flow validated");
                out.print(json ? Json.writeSpaced(report.toJson()) + "\n" : report.toText());
                return report.exitCode();
            }
            case "doctor": {
                DoctorReport report = Diagnostics.doctor(YamlLoader.load(path, flows), env);
                out.print(json ? Json.writeSpaced(report.toJson()) + "\n" : report.toText());
                return report.ok() ? ExitCodes.OK : ExitCodes.INVALID;
            }
            default: {
                ExplainReport report = Diagnostics.explain(YamlLoader.load(path, flows), env);
                out.print(json ? Json.writeSpaced(report.toJson()) + "\n" : report.toText());
                return ExitCodes.OK;
            }
        }
    }
}
