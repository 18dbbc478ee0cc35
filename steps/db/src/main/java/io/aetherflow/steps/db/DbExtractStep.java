package io.aetherflow.steps.db;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.AtomicFiles;
import io.aetherflow.api.support.Json;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db_extract}: runs a query on a {@code db} resource and writes every row to a file, {@code tsv}
 * (header line, tab separators, no quoting, null as empty, Python {@code str()} of other values) or
 * {@code jsonl} (one JSON object per row). Rows are streamed, never held in memory. See docs/steps-db.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=db_extract")
public final class DbExtractStep implements Step {

    static final String TYPE = "db_extract";
    static final List<String> FORMATS = List.of("tsv", "jsonl");

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        in.require("resource", "sql", "output");
        DbSteps.Query q = DbSteps.Query.from(TYPE, in);
        String fmt = DbSteps.format(in, FORMATS, f -> TYPE + ": Unsupported format: " + f + " (use tsv or jsonl)");
        Path out = ctx.resolvePath(in.string("output"));
        boolean tsv = fmt.equals("tsv");
        long[] rows = {0};
        try (DbRows cursor = DbSteps.open(TYPE, ctx, q, DbQuery.DEFAULT_FETCH_SIZE)) {
            AtomicFiles.write(out, tmp -> {
                try (Writer w = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                    rows[0] = tsv ? tsv(cursor, w) : jsonl(cursor, w);
                }
            });
        } catch (ConnectorException e) {
            throw DbSteps.failed(TYPE, ctx, q, e);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("output", out.toString());
        o.put("format", fmt);
        o.put("rows", rows[0]);
        return StepResult.success(o);
    }

    private static long tsv(DbRows cursor, Writer w) throws Exception {
        List<DbColumn> cols = cursor.columns();
        if (!cols.isEmpty()) {
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                    w.write('\t');
                }
                w.write(cols.get(i).name());
            }
            w.write('\n');
        }
        long[] n = {0};
        RowPipeline.copy(cursor, r -> {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    w.write('\t');
                }
                w.write(Values.text(r[i]));
            }
            w.write('\n');
            n[0]++;
        });
        return n[0];
    }

    private static long jsonl(DbRows cursor, Writer w) throws Exception {
        List<DbColumn> cols = cursor.columns();
        long[] n = {0};
        RowPipeline.copy(cursor, r -> {
            Map<String, Object> obj = new LinkedHashMap<>();
            for (int i = 0; i < cols.size() && i < r.length; i++) {
                obj.put(cols.get(i).name(), Values.jsonExact(r[i]));
            }
            w.write(Json.writeSpaced(obj));
            w.write('\n');
            n[0]++;
        });
        return n[0];
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        DbSteps.checkCommon(TYPE, raw, checks);
        DbSteps.checkFormat(raw, checks, FORMATS, "semantic:db_extract_format",
                f -> "Unsupported format: " + f + " (db_extract writes tsv or jsonl)");
    }
}
