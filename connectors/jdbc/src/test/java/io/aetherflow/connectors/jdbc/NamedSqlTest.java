package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void translatesNamesInOrderAndRepeats() {
        NamedSql ns = NamedSql.parse("select * from t where a = :a and b > :b_2 or a = :a");
        assertEquals("select * from t where a = ? and b > ? or a = ?", ns.sql());
        assertEquals(List.of("a", "b_2", "a"), ns.names());
        assertArrayEquals(new Object[] {1, "x", 1}, ns.bind(Map.of("a", 1, "b_2", "x", "extra", 3)));
    }

    @Test
    void leavesLiteralsIdentifiersCommentsAndCastsAlone() {
        String sql = "select ':no', 'it''s :no', \":no\", `:no`, x::int, :p::text, $$ :no $$, $t$ :no $t$ -- :no\n"
                + "/* :no */ from t where y=:yes";
        NamedSql ns = NamedSql.parse(sql);
        assertEquals(List.of("p", "yes"), ns.names());
        assertEquals(sql.replace(":p::text", "?::text").replace("y=:yes", "y=?"), ns.sql());
    }

    @Test
    void colonsThatAreNoParameters() {
        NamedSql ns = NamedSql.parse("select a[1:2], '10:30', x:=1, time 'a' from t where k=:k");
        assertEquals(List.of("k"), ns.names());
        assertEquals("select a[1:2], '10:30', x:=1, time 'a' from t where k=?", ns.sql());
    }

    @Test
    void missingValueNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamedSql.parse("select :a, :b").bind(Map.of("a", 1)));
        assertEquals("parameter :b has no value (the statement names it, the params map does not)", e.getMessage());
    }
}
