package io.aetherflow.dist;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads (and for fixtures, writes) a state store the way an ops engineer's query would. */
final class StateDb {

    private StateDb() {
    }

    static List<Map<String, Object>> query(Path db, String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    static String stepStatus(Path db, String job, String run, String step) throws SQLException {
        List<Map<String, Object>> r = query(db, "SELECT status FROM step_runs WHERE job_id=? AND run_id=? AND step_id=?",
                job, run, step);
        return r.isEmpty() ? null : (String) r.get(0).get("status");
    }

    static String jobStatus(Path db, String job, String run) throws SQLException {
        List<Map<String, Object>> r = query(db, "SELECT status FROM job_runs WHERE job_id=? AND run_id=?", job, run);
        return r.isEmpty() ? null : (String) r.get(0).get("status");
    }

    static void execute(Path db, String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
