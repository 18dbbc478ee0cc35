package io.aetherflow.launch;

import java.util.List;

/**
 * A command line that the launcher parsed and that the engine executes ({@link Application#run}). The
 * launcher owns the one parser and the one help system of {@code aetherflow}; the engine receives
 * these typed requests and never sees the raw arguments. Values are as given on the command line
 * (paths relative to the working directory); the engine checks what only it can check.
 */
public sealed interface EngineCommand {

    /** @return the command path as the user typed it, e.g. {@code runs show} (for messages) */
    String name();

    /**
     * {@code aetherflow run}.
     *
     * @param flowYaml the flow file (never empty)
     * @param runId the run id to use or resume, or null
     * @param flowJob the only job to run, or null
     * @param bundleManifest an asset bundle manifest, or null (not supported in this release)
     * @param allowStaleBundle {@code --allow-stale-bundle}
     */
    record Run(String flowYaml, String runId, String flowJob, String bundleManifest, boolean allowStaleBundle)
            implements EngineCommand {
        @Override
        public String name() {
            return "run";
        }
    }

    /** Which check of a flow file. */
    enum CheckKind {
        /** {@code validate}: schema, semantics, templates, step inputs. */
        VALIDATE,
        /** {@code doctor}: the environment provides what the flow needs. */
        DOCTOR,
        /** {@code explain}: the flow's resources and their profiles. */
        EXPLAIN
    }

    /**
     * {@code aetherflow validate|doctor|explain}.
     *
     * @param kind which check
     * @param flowYaml the flow file (never empty)
     * @param bundleManifest an asset bundle manifest, or null (not supported in this release)
     * @param json {@code --json}
     * @param allowStaleBundle {@code --allow-stale-bundle}
     */
    record Check(CheckKind kind, String flowYaml, String bundleManifest, boolean json, boolean allowStaleBundle)
            implements EngineCommand {
        @Override
        public String name() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code aetherflow plugins list}.
     *
     * @param json {@code --json}
     */
    record PluginsList(boolean json) implements EngineCommand {
        @Override
        public String name() {
            return "plugins list";
        }
    }

    /**
     * {@code aetherflow runs [list|show RUN_ID]}.
     *
     * @param show true for {@code runs show}, false for {@code runs list}
     * @param positionals the positional arguments after the sub-command ({@code show} needs exactly one run id,
     *                    {@code list} none; the engine says so after it found the state store)
     * @param state {@code --state}, or null
     * @param flowYaml {@code --flow-yaml}, or null
     * @param flowId {@code --flow-id}, or null
     * @param limit {@code --limit} as given, or null
     * @param json {@code --json}
     */
    record Runs(boolean show, List<String> positionals, String state, String flowYaml, String flowId, String limit,
            boolean json) implements EngineCommand {
        /** Copies the list. */
        public Runs {
            positionals = List.copyOf(positionals);
        }

        @Override
        public String name() {
            return show ? "runs show" : "runs list";
        }
    }

    /**
     * {@code aetherflow state migrate}: copies every table of one state store into another, empty one.
     *
     * @param from {@code --from}: {@code sqlite:PATH}, {@code postgres:URL} or a PostgreSQL URL
     * @param to {@code --to}, same forms
     * @since 2.1.0
     */
    record StateMigrate(String from, String to) implements EngineCommand {
        @Override
        public String name() {
            return "state migrate";
        }
    }

    /**
     * {@code aetherflow version}.
     *
     * @param json {@code --json}
     */
    record Version(boolean json) implements EngineCommand {
        @Override
        public String name() {
            return "version";
        }
    }
}
