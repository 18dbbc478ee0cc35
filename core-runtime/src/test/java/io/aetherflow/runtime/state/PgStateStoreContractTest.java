package io.aetherflow.runtime.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** The whole {@link StateStoreContract} on PostgreSQL: a fresh database per test on one server per test JVM. */
class PgStateStoreContractTest extends StateStoreContract {

    private StateUrl url;

    @BeforeEach
    void database() {
        url = PgStores.freshUrl();
    }

    @Override
    StateStore open(StoreOptions options) {
        return PgStores.open(url, options);
    }

    @Override
    String where() {
        return url.masked();
    }

    @Override
    List<List<Object>> rawQuery(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = PgStores.dataSource(url).getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    void exec(String... sql) throws SQLException {
        try (Connection c = PgStores.dataSource(url).getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
