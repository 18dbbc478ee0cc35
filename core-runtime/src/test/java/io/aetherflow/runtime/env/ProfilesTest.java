package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {

    @TempDir
    Path dir;

    private String invalid(Map<String, String> env) {
        ProfilesException e = assertThrows(ProfilesException.class, () -> Profiles.load(env));
        assertEquals(ExitCodes.INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("Invalid profile configuration: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private Map<String, String> file(String yaml) throws Exception {
        Path p = dir.resolve("profiles.yaml");
        Files.writeString(p, yaml);
        return Map.of("AETHERFLOW_PROFILES_FILE", p.toString());
    }

    @Test
    void noneConfigured() {
        assertEquals(Set.of(), Profiles.load(Map.of()).names());
    }

    @Test
    void bothSetIsAnError() {
        ProfilesException e = assertThrows(ProfilesException.class, () -> Profiles.load(Map.of(
                "AETHERFLOW_PROFILES_JSON", "{}", "AETHERFLOW_PROFILES_FILE", "/x.yaml")));
        assertEquals("Set only one of AETHERFLOW_PROFILES_JSON or AETHERFLOW_PROFILES_FILE", e.getMessage());
    }

    @Test
    void loadsYamlFile() throws Exception {
        Profiles p = Profiles.load(file("""
                pg:
                  config: {host: db.local, port: 5432, nested: {a: 1}}
                  options: {pool: [1, 2]}
                  decode: {config: {password: true}}
                empty: {}
                """));
        assertEquals(List.of("pg", "empty"), List.copyOf(p.names()));
        Profile pg = p.find("pg").orElseThrow();
        assertEquals("db.local", pg.config().get("host"));
        assertEquals(Map.of("a", 1), pg.config().get("nested"));
        assertEquals(Map.of("pool", List.of(1, 2)), pg.options());
        assertEquals(Map.of("config", Map.of("password", true)), pg.decode());
        assertEquals(Profile.EMPTY, p.find("empty").orElseThrow());
        assertThrows(UnsupportedOperationException.class, () -> pg.config().put("x", 1));
    }

    @Test
    void loadsJson() {
        Profiles p = Profiles.load(Map.of("AETHERFLOW_PROFILES_JSON", "{\"r\": {\"config\": {\"url\": \"DB_URL\"}}}"));
        assertEquals("DB_URL", p.find("r").orElseThrow().config().get("url"), "values are literal, no env mapping");
    }

    @Test
    void loaderErrors() throws Exception {
        assertTrue(invalid(Map.of("AETHERFLOW_PROFILES_FILE", dir.resolve("missing.yaml").toString()))
                .contains("file not found"));
        assertTrue(invalid(Map.of("AETHERFLOW_PROFILES_JSON", "{not json")).contains("AETHERFLOW_PROFILES_JSON"));
        assertTrue(invalid(file("pg:\n  config: {}\n  extra: 1\n")).contains("unknown key 'extra'"));
        assertTrue(invalid(file("pg:\n  config: [1, 2]\n")).contains("'pg'.config must be a mapping"));
        assertTrue(invalid(file("pg: just text\n")).contains("profile 'pg' must be a mapping"));
        assertTrue(invalid(file("- a\n- b\n")).contains("top level must be a mapping"));
        assertTrue(invalid(file("pg:\n  config: {}\npg:\n  options: {}\n")).toLowerCase().contains("duplicate"));
        assertTrue(invalid(file("pg:\n  config: {a: 1\n")).contains("profiles.yaml"));
    }

    @Test
    void aliasesAreLimited() throws Exception {
        StringBuilder yaml = new StringBuilder("base: &b {config: {x: 1}}\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("p").append(i).append(": *b\n");
        }
        invalid(file(yaml.toString()));
        Profiles ok = Profiles.load(file("base: &b {config: {x: 1}}\nother: *b\n"));
        assertEquals(1, ok.find("other").orElseThrow().config().get("x"));
    }
}
