package io.aetherflow.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** scheduler.yaml as the reference reads it (§10.3), plus bundle-only items. */
class SchedulerSpecTest {

    private static SchedulerSpec parse(String yaml) {
        return SchedulerSpec.parse(YamlLoader.loadString(yaml, "scheduler.yaml"), Path.of("scheduler.yaml"));
    }

    private static String error(String yaml) {
        UserError e = assertThrows(UserError.class, () -> parse(yaml));
        assertEquals(2, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaults() {
        SchedulerSpec s = parse("");
        assertEquals(1, s.version());
        assertEquals(ZoneId.of("Europe/Berlin"), s.zone());
        assertTrue(s.items().isEmpty());
        ScheduleItem i = parse("items:\n  - {id: a, cron: '*/5 * * * *', flow_yaml: flows/a.yaml}\n").items().get(0);
        assertEquals("flows/a.yaml", i.flowYaml());
        assertNull(i.flowJob());
        assertNull(i.bundleManifest());
        assertEquals(false, i.allowStaleBundle());
        assertEquals(300, i.misfireGraceSeconds());
        assertEquals(ZoneId.of("Europe/Berlin"), i.cron().zone());
    }

    @Test
    void everyKeyAndTheFlowAlias() {
        SchedulerSpec s = parse("version: 1\ntimezone: America/New_York\nitems:\n"
                + "  - id: a\n    cron: '0 6 * * 1-5'\n    flow_yaml: ''\n    flow: flows/a.yaml\n    flow_job: load\n"
                + "    misfire_grace_time: 60\n");
        ScheduleItem i = s.items().get(0);
        assertEquals("flows/a.yaml", i.flowYaml(), "flow is copied into an empty flow_yaml");
        assertEquals("load", i.flowJob());
        assertEquals(60, i.misfireGraceSeconds());
        assertEquals("flows/b.yaml", parse("items:\n  - {id: a, cron: '* * * * *', flow_yaml: flows/b.yaml, flow: x}\n")
                .items().get(0).flowYaml(), "flow only when flow_yaml is empty");
    }

    @Test
    void bundleOnlyItemsAreValid() {
        ScheduleItem i = parse("items:\n  - {id: b, cron: '*/2 * * * *', bundle_manifest: bundle.yaml, "
                + "allow_stale_bundle: true}\n").items().get(0);
        assertEquals("bundle.yaml", i.bundleManifest());
        assertNull(i.flowYaml());
        assertTrue(i.allowStaleBundle());
    }

    @Test
    void errorsNameFileLineAndKey() {
        assertEquals("invalid scheduler file: scheduler.yaml:2: items[0].job: unknown key 'job' (allowed: "
                + "[allow_stale_bundle, bundle_manifest, cron, flow, flow_job, flow_yaml, id, misfire_grace_time])",
                error("items:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml, job: x}\n"));
        assertTrue(error("timezon: UTC\n").contains("scheduler.yaml:1: timezon: unknown key 'timezon'"));
        assertTrue(error("timezone: Mars/Base\n").contains("unknown time zone 'Mars/Base'"));
        assertTrue(error("items:\n  - {id: a, cron: '* * * *', flow_yaml: f.yaml}\n")
                .contains("items[0].cron: invalid cron expression '* * * *': expected 5 fields"));
        assertTrue(error("items:\n  - {id: a, cron: '61 * * * *', flow_yaml: f.yaml}\n")
                .contains("items[0].cron: invalid cron expression '61 * * * *'"));
        assertTrue(error("items:\n  - {id: a, cron: '* * * * *'}\n")
                .contains("must set exactly one of 'bundle_manifest' or 'flow_yaml'"));
        assertTrue(error("items:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml, bundle_manifest: b.yaml}\n")
                .contains("must set exactly one of 'bundle_manifest' or 'flow_yaml'"));
        assertTrue(error("items:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml}\n"
                + "  - {id: a, cron: '* * * * *', flow_yaml: g.yaml}\n")
                .contains("scheduler.yaml:3: items[1].id: duplicate item id 'a'"));
        assertTrue(error("items:\n  - {cron: '* * * * *', flow_yaml: f.yaml}\n").contains("field 'id' is required"));
        assertTrue(error("items:\n  - {id: a, flow_yaml: f.yaml}\n").contains("field 'cron' is required"));
        assertTrue(error("items:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml, misfire_grace_time: soon}\n")
                .contains("items[0].misfire_grace_time: must be an integer"));
        assertTrue(error("items: {}\n").contains("items must be a list"));
        assertTrue(error("- a\n").contains("must be a mapping"));
    }
}
