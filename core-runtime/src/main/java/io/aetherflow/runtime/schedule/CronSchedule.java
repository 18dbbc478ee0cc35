package io.aetherflow.runtime.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A 5-field crontab expression in a time zone, with classic (Vixie) cron semantics: day-of-week 0
 * and 7 are Sunday, names {@code sun..sat} and {@code jan..dec} are accepted, and when both
 * day-of-month and day-of-week are restricted a day matches when <em>either</em> matches.
 * Parsing and matching of the fields is done by cron-utils (its UNIX definition) on the local
 * wall clock; this class maps local times to instants: a local time that does not exist (the hour
 * skipped when DST starts) is skipped, and one that occurs twice (the hour repeated when DST ends)
 * fires once, at its first occurrence.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Enough to get past a gap of days in a zone's history; a search that finds nothing in 5 years gives up. */
    private static final int MAX_STEPS = 10_000;

    private final String expression;
    private final ZoneId zone;
    private final List<ExecutionTime> alternatives;

    private CronSchedule(String expression, ZoneId zone, List<ExecutionTime> alternatives) {
        this.expression = expression;
        this.zone = zone;
        this.alternatives = alternatives;
    }

    /**
     * @param expression five fields: minute hour day-of-month month day-of-week
     * @param zone the zone the fields are read in
     * @return the schedule
     * @throws IllegalArgumentException with a one-line reason when the expression is not valid
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.trim();
        String[] fields = text.split("\\s+");
        if (text.isEmpty() || fields.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got "
                    + (text.isEmpty() ? 0 : fields.length));
        }
        List<ExecutionTime> alternatives = new ArrayList<>();
        try {
            if (restricted(fields[2]) && restricted(fields[4])) {
                // classic cron: day-of-month OR day-of-week
                alternatives.add(ExecutionTime.forCron(cron(fields, fields[2], "*")));
                alternatives.add(ExecutionTime.forCron(cron(fields, "*", fields[4])));
            } else {
                alternatives.add(ExecutionTime.forCron(cron(fields, fields[2], fields[4])));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(oneLine(e.getMessage()), e);
        }
        return new CronSchedule(text, zone, List.copyOf(alternatives));
    }

    private static boolean restricted(String field) {
        return !field.startsWith("*") && !field.equals("?");
    }

    private static Cron cron(String[] f, String dom, String dow) {
        String text = String.join(" ", f[0], f[1], dom, f[3], dow).toUpperCase(Locale.ROOT);
        Cron cron = PARSER.parse(text);
        return cron.validate();
    }

    private static String oneLine(String message) {
        return message == null ? "invalid expression" : message.replaceAll("\\s+", " ").trim();
    }

    /** @return the expression as given (trimmed) */
    public String expression() {
        return expression;
    }

    /** @return the zone its fields are read in */
    public ZoneId zone() {
        return zone;
    }

    /**
     * @param after an instant
     * @return the first fire time strictly after it, or empty when there is none
     */
    public Optional<Instant> next(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime local = LocalDateTime.ofInstant(after, zone);
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<LocalDateTime> candidate = nextLocal(local);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            local = candidate.get();
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            if (offsets.isEmpty()) {
                continue; // in a DST gap: this local time does not exist
            }
            // an ambiguous local time fires once, at its earlier occurrence (the first offset)
            Instant at = local.toInstant(offsets.get(0));
            if (at.isAfter(after)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    /**
     * @param after an instant
     * @param count how many
     * @return the next {@code count} fire times after it (fewer if the schedule ends)
     */
    public List<Instant> next(Instant after, int count) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        while (out.size() < count) {
            Optional<Instant> n = next(t);
            if (n.isEmpty()) {
                break;
            }
            out.add(n.get());
            t = n.get();
        }
        return out;
    }

    /** The next matching wall-clock minute after {@code local}, computed on a zone without transitions. */
    private Optional<LocalDateTime> nextLocal(LocalDateTime local) {
        ZonedDateTime wall = local.atZone(ZoneOffset.UTC);
        LocalDateTime best = null;
        for (ExecutionTime t : alternatives) {
            Optional<ZonedDateTime> n = t.nextExecution(wall);
            if (n.isPresent() && (best == null || n.get().toLocalDateTime().isBefore(best))) {
                best = n.get().toLocalDateTime();
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
