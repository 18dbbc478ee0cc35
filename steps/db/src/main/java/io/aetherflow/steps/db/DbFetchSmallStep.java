package io.aetherflow.steps.db;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db_fetch_small}: runs a query and returns its rows as step outputs ({@code columns},
 * {@code rows}, {@code row_count}, {@code columns_json}, {@code rows_json}, {@code dtypes},
 * {@code dtypes_json}); fails when the result has more than {@code max_rows} rows. See docs/steps-db.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=db_fetch_small")
public final class DbFetchSmallStep implements Step {

    static final String TYPE = "db_fetch_small";
    static final int DEFAULT_MAX_ROWS = 50_000;

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        in.require("resource", "sql");
        DbSteps.Query q = DbSteps.Query.from(TYPE, in);
        long maxRows = in.integer("max_rows", DEFAULT_MAX_ROWS);
        int fetchSize = DbSteps.positive(TYPE, in, "fetch_size", 5000);
        List<String> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        // rows_json is written row by row: no second list of every row is kept for it
        StringBuilder rowsJson = new StringBuilder(1 << 12).append('[');
        SharedTexts texts = new SharedTexts();
        Map<String, Object> dtypes;
        try (DbRows cursor = DbSteps.open(TYPE, ctx, q, fetchSize)) {
            List<DbColumn> cols = cursor.columns();
            cols.forEach(c -> columns.add(c.name()));
            dtypes = Values.dtypes(cols);
            List<String> decimals = Values.decimals(cols);
            if (!decimals.isEmpty()) {
                ctx.log("WARNING", TYPE + ": decimal column(s) " + decimals
                        + " reported as dtype float (precision loss possible)");
            }
            for (Object[] r; (r = cursor.next()) != null; ) {
                if (rows.size() >= maxRows) {
                    throw new StepFailedException(TYPE + " exceeded max_rows=" + maxRows
                            + ". Use db_extract_stream for large results.");
                }
                for (int i = 0; i < r.length; i++) {
                    if (r[i] instanceof byte[]) {
                        r[i] = Values.jsonExact(r[i]); // outputs are persisted as JSON: binary as its b'...' text
                    } else if (r[i] instanceof String t) {
                        r[i] = texts.share(i, t);
                    }
                }
                rows.add(Arrays.asList(r));
                Object[] s = new Object[r.length];
                for (int i = 0; i < r.length; i++) {
                    s[i] = Values.jsonSafe(r[i]);
                }
                rowsJson.append(rows.size() > 1 ? ", " : "").append(Json.writeSpaced(Arrays.asList(s)));
            }
        } catch (ConnectorException e) {
            throw DbSteps.failed(TYPE, ctx, q, e);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("columns", columns);
        o.put("rows", rows);
        o.put("row_count", rows.size());
        o.put("columns_json", Json.writeSpaced(columns));
        o.put("rows_json", rowsJson.append(']').toString());
        o.put("dtypes", dtypes);
        o.put("dtypes_json", Json.writeSpaced(dtypes));
        return StepResult.success(o);
    }

    /**
     * One instance per distinct short text of a column (the rows are kept whole as an output, and a
     * driver makes a new String for every value: a column of a few repeated codes would otherwise hold
     * one copy per row). Bounded: at most {@value #MAX} texts of at most {@value #MAX_LENGTH} chars
     * per column are remembered.
     */
    static final class SharedTexts {
        static final int MAX = 4096;
        static final int MAX_LENGTH = 64;
        /** By column index (no boxed key and lookup per value); grown as columns are seen. */
        private final List<Map<String, String>> byColumn = new ArrayList<>();

        String share(int column, String t) {
            if (t.length() > MAX_LENGTH) {
                return t;
            }
            while (byColumn.size() <= column) {
                byColumn.add(null);
            }
            Map<String, String> m = byColumn.get(column);
            if (m == null) {
                m = new java.util.HashMap<>();
                byColumn.set(column, m);
            }
            String known = m.get(t);
            if (known != null) {
                return known;
            }
            if (m.size() < MAX) {
                m.put(t, t);
            }
            return t;
        }
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        DbSteps.checkCommon(TYPE, raw, checks);
    }
}
