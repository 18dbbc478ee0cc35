package io.aetherflow.runtime.bundle;

import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code db} source through the {@link DbConnector} of a {@code kind: db} resource. Default
 * statements as the reference: list {@code SELECT path, sha256, updated_at, size FROM assets WHERE
 * bundle = :bundle ORDER BY path} (columns found by name; {@code path} defaults to the first column;
 * the others are optional), fetch {@code SELECT data FROM assets WHERE bundle = :bundle AND path = :path}
 * (first column of the first row; no row is an error; null is an empty file).
 */
record DbSource(DbConnector db, String bundle, String listSql, String fetchSql) implements BundleSource {

    static final String LIST_SQL = "SELECT path, sha256, updated_at, size FROM assets WHERE bundle = :bundle ORDER BY path";
    static final String FETCH_SQL = "SELECT data FROM assets WHERE bundle = :bundle AND path = :path";

    /** A null or empty statement is the default one. */
    DbSource {
        listSql = listSql == null || listSql.isEmpty() ? LIST_SQL : listSql;
        fetchSql = fetchSql == null || fetchSql.isEmpty() ? FETCH_SQL : fetchSql;
    }

    @Override
    public String type() {
        return "db";
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public List<BundleFile> list() throws Exception {
        List<BundleFile> out = new ArrayList<>();
        try (DbRows rows = db.query(DbQuery.of(listSql, Map.of("bundle", bundle)))) {
            Map<String, Integer> idx = new HashMap<>();
            List<DbColumn> cols = rows.columns();
            for (int i = 0; i < cols.size(); i++) {
                idx.putIfAbsent(cols.get(i).name(), i);
            }
            Object[] r;
            while ((r = rows.next()) != null) {
                String path = String.valueOf(r[idx.getOrDefault("path", 0)]);
                Object sha = value(r, idx, "sha256");
                Object mtime = value(r, idx, "updated_at");
                Object size = value(r, idx, "size");
                out.add(new BundleFile(path, path, size == null ? null : Long.valueOf(((Number) number(size)).longValue()),
                        mtime == null ? null : RestSource.doubleOf(mtime), sha == null ? null : sha.toString()));
            }
        }
        return out;
    }

    private static Object value(Object[] r, Map<String, Integer> idx, String col) {
        Integer i = idx.get(col);
        return i == null ? null : r[i];
    }

    private static Number number(Object v) {
        return v instanceof Number n ? n : Double.valueOf(v.toString().trim());
    }

    @Override
    public String fullPath(String relPath) {
        return relPath;
    }

    @Override
    public byte[] read(String relPath) throws Exception {
        try (DbRows rows = db.query(DbQuery.of(fetchSql, Map.of("bundle", bundle, "path", relPath)))) {
            Object[] r = rows.next();
            if (r == null) {
                throw new FileNotFoundException("DB asset not found: bundle=" + bundle + " path=" + relPath);
            }
            Object data = r.length == 0 ? null : r[0];
            if (data == null) {
                return new byte[0];
            }
            if (data instanceof byte[] b) {
                return b;
            }
            return data.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
