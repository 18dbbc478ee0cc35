package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.connectors.jdbc.SqliteConnectorFactory;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The db source on a real SQLite database through the JDBC connector (E34). */
class DbSourceTest {

    @TempDir
    Path dir;

    @Test
    void defaultStatementsNullShaAndNullData() throws Exception {
        Path db = dir.resolve("assets.db");
        try (DbConnector c = (DbConnector) new SqliteConnectorFactory().create(new ConnectorConfig("seed", "db", "sqlite3",
                Map.of("path", db.toString()), null))) {
            c.execute("CREATE TABLE assets(bundle TEXT, path TEXT, sha256 TEXT, data BLOB, updated_at REAL, size INTEGER)", null);
            insert(c, "prod", "flows/main.yaml", "version: 1\n".getBytes(StandardCharsets.UTF_8), 1733500000.25);
            insert(c, "prod", "profiles.yaml", "{}\n".getBytes(StandardCharsets.UTF_8), 1733500001.0);
            insert(c, "prod", "empty.txt", null, 1733500002.0);
            insert(c, "other", "flows/main.yaml", "version: 2\n".getBytes(StandardCharsets.UTF_8), 1.0);
        }
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, "bundle:\n  id: prod\n  source: {type: db, resource: assets}\n"
                + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n"
                + "resources:\n  assets: {kind: db, driver: sqlite3, config: {path: '" + db + "'}}\n");
        StaticPluginCatalog catalog = new StaticPluginCatalog().connector("db", "sqlite3", List.of(),
                new SqliteConnectorFactory());
        BundleManifest bm = ManifestParser.load(m);
        BundleService service = new BundleService(catalog, new HashMap<>(), w -> { });
        BundleDirs dirs = BundleDirs.of(dir.resolve("work"), "prod");
        BundleSync.Result r = service.sync(bm, dirs, Map.of(), false);
        assertTrue(r.changed());
        assertEquals(List.of("empty.txt", "flows/main.yaml", "profiles.yaml"), r.fetchedFiles());
        assertEquals("version: 1\n", Files.readString(dirs.active().resolve("flows/main.yaml")));
        assertEquals(0, Files.size(dirs.active().resolve("empty.txt")), "NULL data is an empty file");
        assertFalse(service.sync(bm, dirs, Map.of(), false).changed());

        // a fetch statement that finds no row names the asset
        Files.writeString(m, Files.readString(m).replace("resource: assets}", "resource: assets, fetch_sql: "
                + "\"SELECT data FROM assets WHERE bundle = :bundle AND path = 'nope' AND :path = :path\"}")
                .replace("entry_flow: flows/main.yaml", "entry_flow: flows/main.yaml\n  fetch_policy: always"));
        FileTreesHelper.deleteCache(dirs);
        UserError e = assertThrows(UserError.class, () -> service.sync(ManifestParser.load(m), dirs, Map.of(), false));
        assertTrue(e.getMessage().contains("DB asset not found: bundle=prod path=empty.txt"), e.getMessage());
    }

    private static void insert(DbConnector c, String bundle, String path, byte[] data, double mtime) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("b", bundle);
        p.put("p", path);
        p.put("d", data);
        p.put("u", mtime);
        p.put("s", data == null ? null : (long) data.length);
        c.execute("INSERT INTO assets(bundle, path, sha256, data, updated_at, size) VALUES (:b, :p, NULL, :d, :u, :s)", p);
    }

    /** Empties the blob cache so that every file is read again. */
    static final class FileTreesHelper {
        static void deleteCache(BundleDirs d) throws Exception {
            io.aetherflow.api.support.FileTrees.delete(d.cache());
            Files.createDirectories(d.cache());
        }
    }
}
