package io.aetherflow.runtime.observe;

import io.aetherflow.api.support.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes log lines and structured events to one stream (stderr for the CLI), as text or JSON, with
 * every line passed through the secret masker.
 *
 * <p>Text lines follow the reference: {@code <time> - (<thread>) - <logger> - <LEVEL> - <message>};
 * an event's message is {@code <event> k1=v1 k2=v2} with Python-style values. JSON lines are one
 * object each: {@code ts_ms}, {@code level}, {@code logger}, then either {@code event} and its fields
 * or {@code message}, then the context ids (flow_id, run_id, job_id, step_id) when known.
 */
public final class EventLog {

    /** The time up to the second; {@code ,SSS} is appended (see {@link #appendTime}). */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** A formatted second, reused by every line written within that second. */
    private record Second(long epochSecond, String text) {
    }

    private final PrintStream out;
    private final LogLevel threshold;
    private final boolean json;
    private final UnaryOperator<String> masker;
    private final UnaryOperator<Object> valueRenderer;
    private volatile Second second = new Second(Long.MIN_VALUE, "");
    /** Lines of {@link #holder} not yet written (see {@link #hold()}), or null. */
    private StringBuilder held;
    private Thread holder;

    /** Held lines are written once they reach this many characters. */
    private static final int HOLD_LIMIT = 64 * 1024;

    /**
     * @param out where lines go
     * @param threshold lowest level written
     * @param json true for JSON lines
     * @param masker replaces secrets in a finished line
     * @param valueRenderer renders an event field value in text mode (Python {@code str()})
     */
    public EventLog(PrintStream out, LogLevel threshold, boolean json, UnaryOperator<String> masker,
            UnaryOperator<Object> valueRenderer) {
        this.out = out;
        this.threshold = threshold;
        this.json = json;
        this.masker = masker;
        this.valueRenderer = valueRenderer;
    }

    /** @return true when JSON lines are written */
    public boolean isJson() {
        return json;
    }

    /**
     * @param level a level
     * @return true when lines of that level are written
     */
    public boolean enabled(LogLevel level) {
        return level.ordinal() >= threshold.ordinal();
    }

    /**
     * Writes a plain message.
     *
     * @param level level
     * @param logger logger name, e.g. {@code aetherflow.flow.f.job.j}
     * @param message the message
     * @param ids context ids (flow_id, run_id, job_id, step_id; null values skipped), may be null
     */
    public void log(LogLevel level, String logger, String message, Map<String, Object> ids) {
        if (!enabled(level)) {
            return;
        }
        String line;
        if (json) {
            Map<String, Object> obj = jsonRecord("level", level.name());
            obj.put("logger", logger);
            obj.put("message", message);
            putIds(obj, ids);
            line = Json.writeSpaced(obj);
        } else {
            line = prefix(new StringBuilder(96 + message.length()), level, logger).append(message).toString();
            if (level != LogLevel.DEBUG) {
                line = oneLine(line);
            }
        }
        emit(line);
    }

    /**
     * Writes a structured event.
     *
     * @param level level
     * @param logger logger name
     * @param event event name, e.g. {@code step_end}
     * @param fields event fields in order (text mode prints them all; JSON mode too)
     * @param ids context ids added in JSON mode when not already among the fields, may be null
     */
    public void event(LogLevel level, String logger, String event, Map<String, Object> fields,
            Map<String, Object> ids) {
        if (!enabled(level)) {
            return;
        }
        String line;
        if (json) {
            Map<String, Object> obj = jsonRecord("event", event);
            obj.putAll(fields);
            putIds(obj, ids);
            obj.putIfAbsent("level", level.name());
            obj.putIfAbsent("logger", logger);
            line = Json.writeSpaced(obj);
        } else {
            StringBuilder sb = prefix(new StringBuilder(256), level, logger).append(event);
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                sb.append(' ').append(e.getKey()).append('=').append(valueRenderer.apply(e.getValue()));
            }
            line = oneLine(sb.toString());
        }
        emit(line);
    }

    /** @return a JSON-mode record: its timestamp, then the field that says what it is */
    private static Map<String, Object> jsonRecord(String kindKey, Object kind) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("ts_ms", System.currentTimeMillis());
        obj.put(kindKey, kind);
        return obj;
    }

    private static void putIds(Map<String, Object> obj, Map<String, Object> ids) {
        if (ids != null) {
            ids.forEach((k, v) -> {
                if (v != null) {
                    obj.putIfAbsent(k, v);
                }
            });
        }
    }

    private StringBuilder prefix(StringBuilder sb, LogLevel level, String logger) {
        String thread = Thread.currentThread().getName();
        appendTime(sb, System.currentTimeMillis());
        sb.append(" - (");
        sb.append(thread);
        for (int i = thread.length(); i < 10; i++) {
            sb.append(' ');
        }
        sb.append(") - ").append(logger).append(" - ").append(level.name()).append(" - ");
        return sb;
    }

    /**
     * Appends {@code yyyy-MM-dd HH:mm:ss,SSS} in the system zone. Formatting a date costs more than
     * the rest of a line, so the part up to the second is formatted once per second (zone offset
     * changes fall on whole seconds, so the cached text stays right).
     */
    private void appendTime(StringBuilder sb, long nowMs) {
        long epochSecond = Math.floorDiv(nowMs, 1000L);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, SECONDS.format(Instant.ofEpochSecond(epochSecond)));
            second = s;
        }
        int ms = (int) Math.floorMod(nowMs, 1000L);
        sb.append(s.text()).append(',').append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                .append((char) ('0' + ms % 10));
    }

    /**
     * One record, one line: text-mode lines escape line breaks (a failed step's message carries its
     * stderr tail) so line-based log shippers and greps see whole records. DEBUG stack traces stay
     * multi-line on purpose.
     */
    private static String oneLine(String line) {
        if (line.indexOf('\n') < 0 && line.indexOf('\r') < 0) {
            return line;
        }
        return line.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    }

    /**
     * Holds the lines the calling thread writes from now on until {@link #release()} (or until they
     * reach 64 K characters), so that a run of lines with nothing between them (the steps a resume
     * skips) costs one write instead of one per line. The lines are exactly those that would have been
     * written, in the same order, with their own time stamps; lines of other threads are not held, and
     * one of them writes the held lines first, so the stream stays in the order the lines were made.
     * The holder must release before anything else can write to the same stream (a child process, a
     * step that prints).
     */
    public void hold() {
        synchronized (out) {
            if (holder == null) {
                holder = Thread.currentThread();
                held = new StringBuilder(8192);
            }
        }
    }

    /** Writes the held lines (if any) and stops holding. */
    public void release() {
        synchronized (out) {
            if (holder == Thread.currentThread()) {
                flushHeld();
                holder = null;
                held = null;
            }
        }
    }

    private void flushHeld() {
        if (held.length() > 0) {
            out.print(held);
            out.flush();
            held.setLength(0);
        }
    }

    private void emit(String line) {
        String masked = masker.apply(line);
        synchronized (out) {
            if (holder != null && holder == Thread.currentThread()) {
                held.append(masked).append(System.lineSeparator());
                if (held.length() >= HOLD_LIMIT) {
                    flushHeld();
                }
                return;
            }
            if (holder != null) {
                flushHeld(); // another thread's lines, made before this one
            }
            out.println(masked);
        }
    }
}
