package io.aetherflow.runtime.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.spec.SpecException;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsTest {

    @TempDir
    Path dir;

    private static final String FLOW = """
            flow: {id: f}
            resources:
              ora: {kind: db, driver: sqlalchemy, profile: oracle_main}
              plain: {kind: db, driver: x}
              ghost: {kind: db, driver: x, profile: nope}
            jobs: []
            """;

    private static LoadedYaml y(String text) {
        return YamlLoader.loadString(text, "flow.yaml");
    }

    private static final String PROFILES = "{\"oracle_main\": {\"config\": {\"password\": \"{{env.ORA_PASS}}\"},"
            + " \"decode\": {\"config\": {\"password\": true}}}}";

    @Test
    void doctorReportsMissingEnvFromProfiles() {
        DoctorReport r = Diagnostics.doctor(y(FLOW), Map.of("AETHERFLOW_PROFILES_JSON", PROFILES));
        assertFalse(r.ok());
        assertEquals(1, r.missingEnv().size());
        Issue i = r.missingEnv().get(0);
        assertEquals("semantic:missing_env", i.code());
        assertTrue(i.msg().contains("ORA_PASS"));
        assertEquals("FAIL: flow.yaml\n- profiles.oracle_main.config.password: semantic:missing_env - Missing env"
                + " env.ORA_PASS\n", r.toText());
        assertTrue(Diagnostics.doctor(y(FLOW), Map.of("AETHERFLOW_PROFILES_JSON", PROFILES, "ORA_PASS", "x")).ok());
    }

    @Test
    void doctorJsonShapeIsOneDocument() {
        DoctorReport r = Diagnostics.doctor(y("flow: {id: f, state: {path: '{{env.SP}}'}}\njobs: []\n"), Map.of());
        assertEquals(List.of("ok", "flow_yaml", "missing_env", "warnings"), List.copyOf(r.toJson().keySet()));
        String json = Json.writeSpaced(r.toJson());
        assertEquals(json, Json.writeSpaced(Json.parse(json)));
        assertEquals("{\"ok\": false, \"flow_yaml\": \"flow.yaml\", \"missing_env\": [{\"code\": \"semantic:missing_env\","
                + " \"loc\": \"flow\", \"msg\": \"Missing env env.SP\", \"line\": 1, \"column\": 1}], \"warnings\": []}", json);
    }

    @Test
    void doctorDemotesSyntaxAndIgnoresStrictEnv() {
        DoctorReport r = Diagnostics.doctor(y("""
                flow: {id: f}
                jobs:
                  - id: a
                    steps:
                      - {id: s, type: whatever, inputs: {x: '{{bogus.y}}'}}
                """), Map.of("AETHERFLOW_VALIDATE_ENV_STRICT", "true"));
        assertTrue(r.ok());
        assertEquals(List.of("template:unknown_root", "template:syntax"),
                r.warnings().stream().map(Issue::code).toList());
        assertTrue(r.toText().startsWith("OK: flow.yaml\n! jobs[0].steps[0].inputs.x: template:unknown_root - "
                + "Unknown template root: bogus (flow.yaml:5:"), r.toText());
    }

    @Test
    void doctorReportRegionWarnings() {
        DoctorReport r = Diagnostics.doctor(y("""
                flow: {id: f}
                jobs:
                  - id: a
                    steps:
                      - id: x
                        type: excel_fill_from_file
                        inputs:
                          targets:
                            - {mode: REPORT_REGION}
                            - {mode: report_region, rows_threshold: 10, fail_on_threshold: "false"}
                            - {mode: data_sheet}
                            - {}
                """), Map.of());
        assertEquals(List.of("report_region_default_threshold@jobs[0].steps[0].inputs.targets[0]",
                "report_region_threshold_guard_disabled@jobs[0].steps[0].inputs.targets[1]"),
                r.warnings().stream().map(i -> i.code() + "@" + i.loc()).toList());
        assertEquals("mode=report_region uses the default rows_threshold (50000). Consider setting rows_threshold"
                + " explicitly or use mode=data_sheet (DATA_*).", r.warnings().get(0).msg());
        assertEquals("mode=report_region has fail_on_threshold=false. This can create huge, slow workbooks. Prefer"
                + " mode=data_sheet (DATA_*).", r.warnings().get(1).msg());
    }

    @Test
    void doctorAndExplainRaiseOnSchemaErrors() {
        SpecException e = assertThrows(SpecException.class, () -> Diagnostics.doctor(y("flow: {}\njobs: []\n"), Map.of()));
        assertEquals("flow.yaml:1:1: flow.id: Field required (schema:missing); run 'aetherflow validate' for the full"
                + " list", e.getMessage());
        assertThrows(SpecException.class, () -> Diagnostics.explain(y("jobs: 3\n"), Map.of()));
    }

    @Test
    void explainListsProfiledResourcesWithProfileDecode() throws Exception {
        ExplainReport r = Diagnostics.explain(y(FLOW), Map.of("AETHERFLOW_PROFILES_JSON", PROFILES));
        assertEquals(List.of("ora", "ghost"), List.copyOf(r.resources().keySet()));
        Map<String, Object> ora = r.resources().get("ora");
        assertEquals("oracle_main", ora.get("profile"));
        assertEquals(Map.of("config", Map.of("password", true)), ora.get("decode"));
        assertEquals(Map.of(), r.resources().get("ghost").get("decode"));
        assertEquals("Flow: flow.yaml\n\nResource: ora (db/sqlalchemy) profile=oracle_main\n  decode:\n"
                + "    {\"config\": {\"password\": true}}\n\nResource: ghost (db/x) profile=nope\n", r.toText());
        assertEquals(List.of("flow_yaml", "resources"), List.copyOf(r.toJson().keySet()));
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "oracle_main:\n  decode: {options: {k: true}}\n");
        ExplainReport fromFile = Diagnostics.explain(y(FLOW), Map.of("AETHERFLOW_PROFILES_FILE", file.toString()));
        assertEquals(Map.of("options", Map.of("k", true)), fromFile.resources().get("ora").get("decode"));
        ExplainReport none = Diagnostics.explain(y(FLOW), Map.of("AETHERFLOW_PROFILES_FILE", dir.resolve("x").toString()));
        assertEquals(Map.of(), none.resources().get("ora").get("decode"));
    }
}
