package io.aetherflow.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private EventLog log(boolean json, LogLevel level) {
        return new EventLog(new PrintStream(buf, true, StandardCharsets.UTF_8), level, json,
                s -> s.replace("hunter2", "***"), String::valueOf);
    }

    private String out() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonLinesParseAndCarryTheContextIds() {
        EventLog l = log(true, LogLevel.INFO);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "SUCCESS");
        fields.put("nested", Map.of("k", List.of(1, 2)));
        fields.put("note", "quote \" and ü and\nnewline");
        l.event(LogLevel.INFO, "aetherflow.flow.f", "step_end", fields,
                Map.of("flow_id", "f", "run_id", "r", "job_id", "j", "step_id", "s"));
        l.log(LogLevel.WARNING, "aetherflow.flow.f.job.j", "password is hunter2", Map.of("flow_id", "f", "run_id", "r"));
        String[] lines = out().split("\n");
        assertEquals(2, lines.length);
        Map<String, Object> ev = (Map<String, Object>) Json.parse(lines[0]);
        assertEquals("step_end", ev.get("event"));
        assertEquals("s", ev.get("step_id"));
        assertEquals("quote \" and ü and\nnewline", ev.get("note"));
        assertTrue(ev.get("ts_ms") instanceof Long);
        Map<String, Object> msg = (Map<String, Object>) Json.parse(lines[1]);
        assertEquals("password is ***", msg.get("message"));
        assertEquals("WARNING", msg.get("level"));
        assertFalse(out().contains("hunter2"));
    }

    @Test
    void heldLinesAreWrittenAtTheReleaseInOneGoExactlyAsTheyWouldHaveBeen() throws Exception {
        List<Integer> writes = new java.util.ArrayList<>();
        java.io.OutputStream counting = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                buf.write(b, off, len);
            }
        };
        EventLog l = new EventLog(new PrintStream(counting, true, StandardCharsets.UTF_8), LogLevel.INFO, false,
                s -> s.replace("hunter2", "***"), String::valueOf);
        l.hold();
        l.log(LogLevel.INFO, "aetherflow.flow.f.job.j", "Step skip (resume) step_id=a prev=SUCCESS", null);
        l.log(LogLevel.INFO, "aetherflow.flow.f.job.j", "Step skip (resume) step_id=b hunter2", null);
        l.log(LogLevel.DEBUG, "aetherflow.flow.f.job.j", "below the threshold", null);
        assertEquals("", out(), "held");
        int before = writes.size();
        l.release();
        assertEquals(before + 1, writes.size(), "one write for the held lines");
        String[] lines = out().split(System.lineSeparator());
        assertEquals(2, lines.length);
        assertTrue(lines[0].endsWith(" - aetherflow.flow.f.job.j - INFO - Step skip (resume) step_id=a prev=SUCCESS"));
        assertTrue(lines[1].endsWith(" - INFO - Step skip (resume) step_id=b ***"), lines[1]);
        // another thread's line while lines are held: the held ones, made first, are written first
        buf.reset();
        l.hold();
        l.log(LogLevel.INFO, "aetherflow.flow.f.job.j", "Step skip (resume) step_id=c", null);
        Thread other = new Thread(() -> l.log(LogLevel.WARNING, "other", "not held", null), "other");
        other.start();
        other.join();
        l.log(LogLevel.INFO, "aetherflow.flow.f.job.j", "Step skip (resume) step_id=d", null);
        l.release();
        lines = out().split(System.lineSeparator());
        assertEquals(3, lines.length, out());
        assertTrue(lines[0].endsWith(" - INFO - Step skip (resume) step_id=c"), lines[0]);
        assertTrue(lines[1].endsWith(" - other - WARNING - not held"), lines[1]);
        assertTrue(lines[2].endsWith(" - INFO - Step skip (resume) step_id=d"), lines[2]);
        l.log(LogLevel.INFO, "x", "after the release", null);
        assertTrue(out().endsWith(" - x - INFO - after the release" + System.lineSeparator()), "written at once");
    }

    @Test
    void textEventsUseTheReferenceShape() {
        EventLog l = log(false, LogLevel.INFO);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("flow_id", "f");
        f.put("status", "SUCCESS");
        l.event(LogLevel.INFO, "aetherflow.flow.f", "job_end", f, null);
        String line = out().trim();
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} - \\(.{10,}\\) - aetherflow\\.flow\\.f - "
                + "INFO - job_end flow_id=f status=SUCCESS"), line);
    }

    @Test
    void textTimestampsAreTheLocalTimeOfEachLineAcrossSecondBoundaries() throws Exception {
        // the date part is formatted once per second: lines in later seconds must not reuse it
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneId.systemDefault());
        EventLog l = log(false, LogLevel.INFO);
        for (int i = 0; i < 4; i++) {
            buf.reset();
            long before = System.currentTimeMillis();
            l.log(LogLevel.INFO, "aetherflow.core.runner", "line " + i, null);
            long after = System.currentTimeMillis();
            String stamp = out().substring(0, 23);
            long at = LocalDateTime.parse(stamp, fmt).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            assertTrue(at >= before && at <= after, stamp + " is not between " + fmt.format(Instant.ofEpochMilli(before))
                    + " and " + fmt.format(Instant.ofEpochMilli(after)));
            Thread.sleep(370);
        }
    }

    @Test
    void textRecordsStayOnOneLineExceptDebug() {
        EventLog l = log(false, LogLevel.DEBUG);
        l.log(LogLevel.ERROR, "x", "Job failed: exit 3\nstderr:\nboom", null);
        l.event(LogLevel.ERROR, "x", "job_end", Map.of("error", "a\nb"), null);
        l.log(LogLevel.DEBUG, "x", "trace\n\tat y", null);
        String[] lines = out().split("\n");
        assertEquals(4, lines.length, out());
        assertTrue(lines[0].endsWith("Job failed: exit 3\\nstderr:\\nboom"), lines[0]);
        assertTrue(lines[1].endsWith("job_end error=a\\nb"), lines[1]);
        assertTrue(lines[3].startsWith("\tat y"), lines[3]);
    }

    @Test
    void levelsBelowTheThresholdAreDropped() {
        EventLog l = log(false, LogLevel.WARNING);
        l.log(LogLevel.INFO, "x", "quiet", null);
        l.log(LogLevel.ERROR, "x", "loud", null);
        assertFalse(out().contains("quiet"));
        assertTrue(out().contains("loud"));
        assertEquals(LogLevel.WARNING, LogLevel.parse("warn"));
        assertEquals(LogLevel.INFO, LogLevel.parse("nonsense"));
    }
}
