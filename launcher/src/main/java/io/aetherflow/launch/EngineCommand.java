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
     * @param flowYaml the flow file; null only with a bundle manifest (the bundle's entry flow runs)
     * @param runId the run id to use or resume, or null
     * @param flowJob the only job to run, or null
     * @param bundleManifest an asset bundle manifest, or null
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
     * @param flowYaml the flow file; null only with a bundle manifest (then the entry flow; a relative
     *        path is taken in the bundle's active tree)
     * @param bundleManifest an asset bundle manifest, or null
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
     * {@code aetherflow bundle sync}.
     *
     * @param bundleManifest the manifest (never empty)
     * @param workRoot {@code --work-root}, or null
     * @param json {@code --json}
     * @param printLocalRoot {@code --print-local-root}
     * @param allowStaleBundle {@code --allow-stale-bundle}
     * @since 2.1.0
     */
    record BundleSync(String bundleManifest, String workRoot, boolean json, boolean printLocalRoot,
            boolean allowStaleBundle) implements EngineCommand {
        @Override
        public String name() {
            return "bundle sync";
        }
    }

    /**
     * {@code aetherflow bundle status}.
     *
     * @param bundleManifest the manifest (never empty)
     * @param workRoot {@code --work-root}, or null
     * @param json {@code --json}
     * @since 2.1.0
     */
    record BundleStatus(String bundleManifest, String workRoot, boolean json) implements EngineCommand {
        @Override
        public String name() {
            return "bundle status";
        }
    }

    /**
     * {@code aetherflow plugins list}.
     *
     * @param json {@code --json}
     * @param bundleManifest {@code --bundle-manifest}: also load and list the plugin jars that asset bundle
     *        ships (after one sync), or null
     * @param allowStaleBundle {@code --allow-stale-bundle}
     * @since 2.3.0 (bundleManifest, allowStaleBundle)
     */
    record PluginsList(boolean json, String bundleManifest, boolean allowStaleBundle) implements EngineCommand {

        /**
         * The 2.2 form: the installed plugin set only.
         *
         * @param json {@code --json}
         */
        public PluginsList(boolean json) {
            this(json, null, false);
        }

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

    /** Which scheduler command. */
    enum ScheduleAction {
        /** {@code schedule run}: fire the items until stopped, or one item with {@code --once}. */
        RUN,
        /** {@code schedule validate}: check the scheduler file and the flows it names. */
        VALIDATE,
        /** {@code schedule next}: print the next fire times. */
        NEXT
    }

    /**
     * {@code aetherflow schedule run|validate|next SCHEDULER_YAML} (also {@code aetherflow-scheduler run}).
     *
     * @param action which command
     * @param schedulerYaml the scheduler file (never empty)
     * @param once {@code run --once ITEM}: fire that item now and return its exit code, or null
     * @param stopGrace {@code run --stop-grace SECONDS} as given, or null
     * @param count {@code next --count N} as given, or null
     * @param from {@code next --from ISO-8601-TIME} as given, or null
     * @param json {@code --json}
     */
    record Schedule(ScheduleAction action, String schedulerYaml, String once, String stopGrace, String count,
            String from, boolean json) implements EngineCommand {
        @Override
        public String name() {
            return "schedule " + action.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
