package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StateUrlTest {

    @Test
    void libpqFormIsDecodedAndMasked() {
        StateUrl u = StateUrl.parse("postgresql://etl:p%40ss%3Aw0rd@db.example:6543/aether?sslmode=require", "x");
        assertEquals("db.example", u.host());
        assertEquals(6543, u.port());
        assertEquals("aether", u.database());
        assertEquals("etl", u.user());
        assertEquals("p@ss:w0rd", u.password());
        assertEquals(Map.of("sslmode", "require"), u.params());
        assertEquals("jdbc:postgresql://db.example:6543/aether?sslmode=require", u.jdbcUrl());
        assertEquals("postgresql://etl:***@db.example:6543/aether", u.masked());
        assertEquals(u.masked(), u.toString());
        assertEquals("p@ss:w0rd", u.driverProperties().getProperty("password"));
        assertFalse(u.driverProperties().getProperty("url").contains("w0rd"));
        assertEquals("auth failed for *** here", u.scrub("auth failed for p@ss:w0rd here"));
    }

    @Test
    void jdbcFormAndDefaults() {
        StateUrl u = StateUrl.parse("jdbc:postgresql://10.0.0.5/state?user=svc&password=s3cret&ApplicationName=x", "x");
        assertEquals(5432, u.port());
        assertEquals("svc", u.user());
        assertEquals("s3cret", u.password());
        assertEquals("jdbc:postgresql://10.0.0.5:5432/state?ApplicationName=x", u.jdbcUrl());
        StateUrl bare = StateUrl.parse("postgres://", "x");
        assertEquals("localhost", bare.host());
        assertEquals("postgres", bare.database());
        assertNull(bare.user());
        assertEquals("postgresql://localhost:5432/postgres", bare.masked());
    }

    @Test
    void aBadUrlIsRefusedWithoutShowingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateUrl.parse("mysql://u:hunter2@h/db", "AETHERFLOW_STATE_URL"));
        assertEquals("AETHERFLOW_STATE_URL: not a PostgreSQL URL (mysql://u:***@h/db): use"
                + " postgresql://user:password@host:port/database or jdbc:postgresql://host:port/database", e.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> StateUrl.parse("postgresql://u:hunter2@h:99999/db", "flow.yaml:3 state.url"));
        assertFalse(port.getMessage().contains("hunter2"), port.getMessage());
    }
}
