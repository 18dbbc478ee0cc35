package io.aetherflow.runtime.cli;

import java.util.Map;

/** Help texts of the CLI commands. */
final class Help {

    private Help() {
    }

    static final String MAIN = String.join("\n",
            "usage: aetherflow <command> [options]",
            "",
            "AetherFlow for the JVM: run-once YAML workflows on an OSGi plugin host.",
            "",
            "commands:",
            "  run         run a flow (or resume it with --run-id)",
            "  validate    check a flow file (schema, semantics, templates)",
            "  doctor      check that the environment provides what the flow needs",
            "  explain     show the flow's resources and their profiles",
            "  plugins     the plugin set: list | add | remove | verify | lock | diff",
            "  trust       the trust store of plugin vendors: add | list | remove",
            "  runs        list runs and show one run from the state store",
            "  version     print the version and the plugin-set hash",
            "",
            "Run 'aetherflow <command> --help' for a command's options.",
            "Exit codes: 0 ok, 1 a job failed, 2 invalid input, 3 plugin set problem,",
            "4 environment problem, 75 lock busy, 130 interrupted (docs/cli.md).");

    static final Map<String, String> COMMANDS = Map.of(
            "run", String.join("\n",
                    "usage: aetherflow run --flow-yaml FLOW_YAML [--run-id RUN_ID] [--flow-job FLOW_JOB]",
                    "",
                    "Runs every job of the flow in order (or only --flow-job). With --run-id of an earlier run,",
                    "resumes it: steps that succeeded or were skipped are not run again and their outputs are",
                    "restored.",
                    "",
                    "options:",
                    "  --flow-yaml FLOW_YAML   the flow file",
                    "  --run-id RUN_ID         run id to use or resume (letters, digits, '.', '_', '-')",
                    "  --flow-job FLOW_JOB     run only this job (jobs with depends_on are then BLOCKED)",
                    "  --bundle-manifest M     asset bundle manifest (not supported in this release)",
                    "  --allow-stale-bundle    with --bundle-manifest: use the last synced bundle on failure"),
            "validate", String.join("\n",
                    "usage: aetherflow validate --flow-yaml FLOW_YAML [--json]",
                    "",
                    "Checks the flow: schema, semantic rules, templates, step inputs. Exit 0 when valid,",
                    "2 when not (3 when a step type is not installed)."),
            "doctor", String.join("\n",
                    "usage: aetherflow doctor --flow-yaml FLOW_YAML [--json]",
                    "",
                    "Checks that every env value the flow's templates and profiles need is set.",
                    "Exit 0 when nothing is missing, 2 otherwise."),
            "explain", String.join("\n",
                    "usage: aetherflow explain --flow-yaml FLOW_YAML [--json]",
                    "",
                    "Lists the flow's resources that use a profile, with kind, driver and decode rules."),
            "plugins", String.join("\n",
                    "usage: aetherflow plugins list [--json]",
                    "       aetherflow plugins add JAR... [--keep] | remove NAME[@VERSION] | verify [--json] | lock",
                    "       aetherflow plugins diff LOCK_A LOCK_B [--json]",
                    "",
                    "list: the installed bundles, their trust verdict and signer, the step types and connector",
                    "drivers each serves, and the plugin-set hash of plugins.lock. The other sub-commands change or",
                    "check the installation ('aetherflow plugins SUB --help'; docs/signing-and-trust.md)."),
            "runs", String.join("\n",
                    "usage: aetherflow runs [list] [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--limit N] [--json]",
                    "       aetherflow runs show RUN_ID [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--json]",
                    "",
                    "Reads the state store: --state PATH; else the flow.state.path of --flow-yaml; else",
                    "$AETHERFLOW_STATE_ROOT/aetherflow.sqlite (default /tmp/state/aetherflow.sqlite).",
                    "--flow-yaml also selects that flow: only its runs are listed or shown (--flow-id names",
                    "another flow; --state alone shows every flow). Runs whose process died are marked INTERRUPTED."),
            "version", String.join("\n",
                    "usage: aetherflow version [--json]",
                    "",
                    "Prints the distribution version and the plugin-set hash."));
}
