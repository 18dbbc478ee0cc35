package io.aetherflow.steps.db;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the three db steps share: the query inputs, the connector look-up, errors and input checks. */
final class DbSteps {

    private DbSteps() {
    }

    /**
     * The query a db step runs.
     *
     * @param resource the {@code db} resource name
     * @param sql the statement
     * @param params named parameters (empty when none)
     */
    record Query(String resource, String sql, Map<String, Object> params) {

        /** Reads {@code resource}, {@code sql} and {@code params} of a step. */
        static Query from(String type, StepInputs in) {
            String resource = in.string("resource");
            String sql = in.string("sql");
            Object p = in.raw("params");
            Map<String, Object> params = new LinkedHashMap<>();
            if (p instanceof Map<?, ?> m) {
                m.forEach((k, v) -> params.put(String.valueOf(k), v));
            } else if (p != null) {
                throw new StepInputException(type + ": input 'params' must be a mapping of parameter names to "
                        + "values (for :name in the SQL), got " + (p instanceof String ? "'" + p + "'" : p));
            }
            return new Query(resource, sql, params);
        }
    }

    /**
     * The database connector of the step's resource.
     *
     * @param type the step type, for messages
     * @param ctx the step context
     * @param resource the resource name
     * @return the connector
     * @throws StepFailedException unknown resource, or a resource of another kind (the reference's
     *         {@code DB-Connector does not have built-in fetchmany!})
     */
    static DbConnector connector(String type, StepContext ctx, String resource) {
        Connector c = ctx.connector(resource, Connector.class);
        if (c instanceof DbConnector db) {
            return db;
        }
        ConnectorConfig cfg = c.config();
        String what = cfg == null ? "" : " (kind=" + cfg.kind() + " driver=" + cfg.driver() + ")";
        throw new StepFailedException(type + ": resource '" + resource + "'" + what
                + " is no database: DB-Connector does not have built-in fetchmany! Use a resource of kind db");
    }

    /**
     * Runs the query.
     *
     * @param type the step type, for messages
     * @param ctx the step context
     * @param q the query
     * @param fetchSize rows per round trip
     * @return the open cursor
     */
    static DbRows open(String type, StepContext ctx, Query q, int fetchSize) {
        DbConnector db = connector(type, ctx, q.resource());
        try {
            return db.query(new DbQuery(q.sql(), q.params(), fetchSize, DbQuery.DEFAULT_SAMPLE_SIZE, null));
        } catch (ConnectorException e) {
            throw failed(type, ctx, q, e);
        }
    }

    /** A connector failure as the step's one-line error, masked. */
    static StepFailedException failed(String type, StepContext ctx, Query q, ConnectorException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new StepFailedException(type + ": query on resource '" + q.resource() + "' failed: "
                + ctx.mask(msg.replaceAll("\\s*\\R\\s*", " ")), e);
    }

    /**
     * The {@code format} input, lower-cased ({@code tsv} when absent or empty).
     *
     * @param in the inputs
     * @param formats the formats the step writes
     * @param unsupported the error text for another format, given the lower-cased format
     * @return the format
     * @throws StepFailedException for a format not in the list
     */
    static String format(StepInputs in, java.util.List<String> formats, java.util.function.UnaryOperator<String> unsupported) {
        String fmt = in.optString("format", "tsv");
        fmt = (fmt.isEmpty() ? "tsv" : fmt).toLowerCase(java.util.Locale.ROOT);
        if (!formats.contains(fmt)) {
            throw new StepFailedException(unsupported.apply(fmt));
        }
        return fmt;
    }

    /**
     * Validation time: a literal {@code format} input must be one of the step's formats.
     *
     * @param raw the raw inputs
     * @param formats the formats the step writes
     * @param code the check's code
     * @param unsupported the error text, given the lower-cased format
     */
    static void checkFormat(Map<String, Object> raw, InputChecks checks, java.util.List<String> formats, String code,
            java.util.function.UnaryOperator<String> unsupported) {
        Object f = raw.get("format");
        if (literal(f) && !((String) f).isEmpty() && !formats.contains(((String) f).toLowerCase(java.util.Locale.ROOT))) {
            checks.error(code, "inputs.format", unsupported.apply(((String) f).toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /**
     * A positive whole-number input.
     *
     * @param type the step type
     * @param in the inputs
     * @param name the input
     * @param dflt its default
     * @return the value
     */
    static int positive(String type, StepInputs in, String name, int dflt) {
        long v = in.integer(name, dflt);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new StepInputException(type + ": input '" + name + "' must be a positive whole number, got " + v);
        }
        return (int) v;
    }

    /**
     * Validation-time checks every db step shares: {@code resource} and {@code sql} present, the
     * resource declared (and of kind {@code db}), {@code params} a mapping.
     *
     * @param type the step type
     * @param raw the raw inputs
     * @param checks the sink
     */
    static void checkCommon(String type, Map<String, Object> raw, InputChecks checks) {
        Object resource = raw.get("resource");
        if (resource instanceof String name && !name.isEmpty() && !name.contains("{{")) {
            checks.declaredResources().ifPresent(kinds -> {
                String kind = kinds.get(name);
                if (kind == null) {
                    checks.error("semantic:unknown_resource", "inputs.resource", type + " inputs.resource '" + name
                            + "' is not declared: add it under resources: (kind: db) or fix the name; declared: "
                            + new java.util.TreeSet<>(kinds.keySet()));
                } else if (!"db".equals(kind)) {
                    checks.error("semantic:db_resource_kind", "inputs.resource", type + " inputs.resource '" + name
                            + "' is a resource of kind " + kind + ": name a resource of kind db");
                }
            });
        }
        Object params = raw.get("params");
        if (params != null && !(params instanceof Map) && !String.valueOf(params).contains("{{")) {
            checks.error("semantic:db_params_type", "inputs.params",
                    type + " inputs.params must be a mapping of parameter names to values");
        }
    }

    /** Whether a raw input is a literal (no template) string. */
    static boolean literal(Object v) {
        return v instanceof String s && !s.contains("{{");
    }
}
