package io.aetherflow.dist;

/** Flow YAML fragments for the black-box tests. */
final class Flows {

    private Flows() {
    }

    /** A flow header writing its workspace and state under the test's directory (see Aetherflow.baseEnv). */
    static String flow(String id, String jobs) {
        return "flow:\n"
                + "  id: " + id + "\n"
                + "  workspace:\n"
                + "    root: \"{{env.AETHERFLOW_WORK_ROOT}}\"\n"
                + "    cleanup_policy: never\n"
                + "  state:\n"
                + "    path: \"{{env.AF_STATE}}\"\n"
                + "jobs:\n" + jobs;
    }

    /** One external.process step running a shell script. */
    static String sh(String id, String script, String extra) {
        return "      - id: " + id + "\n"
                + "        type: external.process\n"
                + "        inputs:\n"
                + "          command: [\"/bin/sh\", \"-c\", " + quote(script) + "]\n"
                + (extra == null ? "" : extra);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
