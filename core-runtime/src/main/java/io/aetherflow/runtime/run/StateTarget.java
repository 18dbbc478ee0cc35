package io.aetherflow.runtime.run;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.state.StateUrl;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which state store a command opens: a SQLite file or a PostgreSQL database. The rule, the same
 * for {@code run}, {@code runs} and the scheduler: {@code flow.state.backend: postgres} uses
 * {@code flow.state.url}, else {@code AETHERFLOW_STATE_URL}; a flow that does not name a backend
 * uses {@code AETHERFLOW_STATE_URL} when it is set (every flow of a host on one shared store), else
 * its SQLite file; {@code backend: sqlite} (or {@code file}) always uses the file.
 *
 * @param sqlite the SQLite file (absolute), or null
 * @param postgres the PostgreSQL URL, or null
 */
public record StateTarget(Path sqlite, StateUrl postgres) {

    /** The environment variable naming a shared store for every flow. */
    public static final String ENV_URL = "AETHERFLOW_STATE_URL";

    /**
     * @param backend {@code flow.state.backend} as written, or null when the flow does not set it
     * @param url {@code flow.state.url}, or null
     * @param where the flow file, for messages
     * @param sqlite the SQLite file the flow would use (absolute)
     * @param env the environment snapshot
     * @return the target
     * @throws UserError exit 2 for a bad or missing URL (never showing the password)
     */
    public static StateTarget resolve(String backend, String url, String where, Path sqlite, Map<String, String> env) {
        String fromEnv = env.get(ENV_URL);
        boolean envSet = fromEnv != null && !fromEnv.isBlank();
        if ("postgres".equals(backend)) {
            if (url != null) {
                return new StateTarget(null, parse(url, where + ": flow.state.url"));
            }
            if (envSet) {
                return new StateTarget(null, parse(fromEnv, ENV_URL));
            }
            throw new UserError(ExitCodes.INVALID, where + ": flow.state.backend is postgres but neither flow.state.url"
                    + " nor " + ENV_URL + " is set: add state.url: postgresql://user:password@host:5432/db");
        }
        if (backend == null && envSet) {
            return new StateTarget(null, parse(fromEnv, ENV_URL));
        }
        return new StateTarget(sqlite, null);
    }

    /**
     * @param text {@code sqlite:PATH}, {@code postgres:URL}, a PostgreSQL URL, or a plain path
     * @param where the option, for messages
     * @param cwd for relative paths
     * @return the target
     */
    public static StateTarget ofOption(String text, String where, Path cwd) {
        if (text.startsWith("postgres:") && !text.startsWith("postgres://")) {
            return new StateTarget(null, parse(text.substring("postgres:".length()), where));
        }
        if (text.startsWith("postgres://") || text.startsWith("postgresql://") || text.startsWith("jdbc:postgresql:")) {
            return new StateTarget(null, parse(text, where));
        }
        String path = text.startsWith("sqlite:") ? text.substring("sqlite:".length()) : text;
        return new StateTarget(cwd.resolve(path).toAbsolutePath().normalize(), null);
    }

    private static StateUrl parse(String text, String where) {
        try {
            return StateUrl.parse(text, where);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.INVALID, e.getMessage());
        }
    }

    /** @return true for the PostgreSQL backend */
    public boolean shared() {
        return postgres != null;
    }

    /** @return the file path or the masked URL, for messages */
    public String location() {
        return postgres != null ? postgres.masked() : sqlite.toString();
    }

    @Override
    public String toString() {
        return location();
    }
}
