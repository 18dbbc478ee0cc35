package io.aetherflow.steps.db;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.AtomicFiles;
import io.aetherflow.api.support.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db_extract_stream}: streams a query's rows into a {@code tsv}, {@code csv} or {@code parquet}
 * file ({@code <output>.tmp}, renamed when complete), with Python {@code csv} dialect options and
 * dtypes (explicit or inferred); outputs the path, columns, row count and SHA-256. See docs/steps-db.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=db_extract_stream")
public final class DbExtractStreamStep implements Step {

    static final String TYPE = "db_extract_stream";
    static final List<String> FORMATS = List.of("tsv", "csv", "parquet");
    static final String DTYPES_NOT_A_MAP = "dtypes must be a dict (mapping column -> type)";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        in.require("resource", "sql", "output");
        DbSteps.Query q = DbSteps.Query.from(TYPE, in);
        String fmt = DbSteps.format(in, FORMATS, DbExtractStreamStep::unsupported);
        int fetchSize = DbSteps.positive(TYPE, in, "fetch_size", 5000);
        boolean header = in.bool("include_header", true);
        boolean emit = in.bool("emit_dtypes", false);
        Map<String, Object> explicit = dtypesInput(in);
        FileOptions file = fmt.equals("parquet") ? null : FileOptions.from(TYPE, in, fmt);
        Path out = ctx.resolvePath(in.string("output"));

        List<String> columns;
        Map<String, Object> dtypes;
        long[] count = {0};
        String[] sha = {null};
        try (DbRows cursor = DbSteps.open(TYPE, ctx, q, fetchSize)) {
            List<DbColumn> cols = cursor.columns();
            columns = cols.stream().map(DbColumn::name).toList();
            Map<String, Object> inferred = Values.dtypes(cols);
            dtypes = explicit != null ? explicit : emit ? inferred : null;
            if (fmt.equals("parquet")) {
                // the reference types parquet columns by the dtypes only (all strings without them); the
                // inferred types are used instead, so numbers stay numbers
                Map<String, String> schema = new LinkedHashMap<>();
                (explicit != null ? explicit : inferred).forEach((k, v) -> schema.put(k, String.valueOf(v)));
                if (explicit == null) {
                    warnDecimals(ctx, cols);
                }
                AtomicFiles.write(out, tmp -> {
                    try (ParquetSink sink = new ParquetSink(tmp, columns, schema)) {
                        RowPipeline.copy(cursor, r -> {
                            sink.write(r);
                            count[0]++;
                        });
                    } catch (IllegalArgumentException e) {
                        throw new StepFailedException(TYPE + ": parquet " + e.getMessage(), e);
                    }
                });
            } else {
                AtomicFiles.write(out, tmp -> {
                    HashingOutputStream hashed = new HashingOutputStream(Files.newOutputStream(tmp));
                    try (RecordSink sink = RecordSink.open(hashed, file, columns.size())) {
                        if (header && !columns.isEmpty()) {
                            sink.write(columns.toArray(String[]::new));
                        }
                        String[][] fields = {new String[columns.size()]};
                        RowPipeline.copy(cursor, r -> {
                            if (fields[0].length != r.length) {
                                fields[0] = new String[r.length];
                            }
                            for (int i = 0; i < r.length; i++) {
                                fields[0][i] = Values.text(r[i]);
                            }
                            sink.write(fields[0]);
                            count[0]++;
                        });
                    } catch (CharacterCodingException e) {
                        throw new StepFailedException(TYPE + ": a value cannot be written in encoding "
                                + file.charset().name() + " (row " + (count[0] + 1) + "): choose another encoding");
                    } catch (IOException e) {
                        if (e.getMessage() != null && (e.getMessage().startsWith("need to escape")
                                || e.getMessage().startsWith("single empty field"))) {
                            throw new StepFailedException(TYPE + ": row " + (count[0] + 1) + ": " + e.getMessage()
                                    + " (set escapechar, or use another quoting)");
                        }
                        throw e;
                    } finally {
                        hashed.close();
                    }
                    sha[0] = hashed.sha256();
                });
            }
        } catch (ConnectorException e) {
            throw DbSteps.failed(TYPE, ctx, q, e);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("artifact_path", out.toString());
        o.put("format", fmt);
        o.put("columns", columns);
        o.put("row_count", count[0]);
        o.put("sha256", sha[0] != null ? sha[0] : HashingOutputStream.sha256(out));
        if (emit && dtypes != null && !dtypes.isEmpty()) {
            o.put("dtypes", dtypes);
            o.put("dtypes_json", Json.writeSpaced(dtypes));
        }
        return StepResult.success(o);
    }

    private static String unsupported(String fmt) {
        return TYPE + " unsupported format: " + fmt + " (use tsv, csv or parquet)";
    }

    private static void warnDecimals(StepContext ctx, List<DbColumn> cols) {
        List<String> decimals = Values.decimals(cols);
        if (!decimals.isEmpty()) {
            ctx.log("WARNING", TYPE + ": decimal column(s) " + decimals
                    + " written as float (precision loss possible); cast them in the SQL to keep the digits as text");
        }
    }

    /**
     * {@code dtypes}, else {@code dtypes_json} (a mapping, or JSON text of one), as the reference: an
     * empty or absent {@code dtypes} falls back to {@code dtypes_json}.
     *
     * @return the explicit dtypes, or null when none is given
     */
    static Map<String, Object> dtypesInput(StepInputs in) {
        Object d = jsonish(in.raw("dtypes"));
        if (d == null || (d instanceof Map<?, ?> m && m.isEmpty()) || (d instanceof String s && s.isEmpty())) {
            d = jsonish(in.raw("dtypes_json"));
        }
        if (d == null || (d instanceof Map<?, ?> m && m.isEmpty()) || (d instanceof String s && s.isEmpty())) {
            return null;
        }
        if (!(d instanceof Map<?, ?> m)) {
            throw new StepInputException(TYPE + ": " + DTYPES_NOT_A_MAP + ", e.g. {id: int, name: string}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** The reference's {@code _maybe_json_load}: text that looks like a JSON object or array is parsed. */
    private static Object jsonish(Object x) {
        if (x instanceof String s) {
            String t = s.strip();
            if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
                try {
                    return Json.parse(t);
                } catch (IllegalArgumentException e) {
                    return x;
                }
            }
        }
        return x;
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        DbSteps.checkCommon(TYPE, raw, checks);
        DbSteps.checkFormat(raw, checks, FORMATS, "semantic:db_extract_stream_format", DbExtractStreamStep::unsupported);
        for (String k : List.of("dtypes", "dtypes_json")) {
            Object d = raw.get(k);
            if (d != null && !(d instanceof Map) && !(d instanceof String)) {
                checks.error("semantic:db_extract_stream_dtypes", "inputs." + k, DTYPES_NOT_A_MAP);
            }
        }
    }
}
