package io.aetherflow.runtime.schedule;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scheduler file ({@code scheduler.yaml}), as the reference reads it: {@code version} (1),
 * {@code timezone} ({@code Europe/Berlin}), {@code items} ({@code []}); unknown keys are errors at
 * both levels. Unlike the reference, an item may name only a {@code bundle_manifest} (its
 * {@code flow_yaml} is then optional), see docs/scheduler.md.
 *
 * @param file the file it was read from
 * @param version the format version
 * @param zone the zone cron fields are read in
 * @param items the items, in file order
 */
public record SchedulerSpec(Path file, int version, ZoneId zone, List<ScheduleItem> items) {

    /** Default time zone, as the reference. */
    public static final String DEFAULT_TIMEZONE = "Europe/Berlin";
    /** Default misfire grace in seconds, as the reference. */
    public static final int DEFAULT_MISFIRE_GRACE = 300;

    private static final Set<String> TOP_KEYS = Set.of("version", "timezone", "items");
    private static final Set<String> ITEM_KEYS = Set.of("id", "cron", "flow_yaml", "flow", "flow_job",
            "bundle_manifest", "allow_stale_bundle", "misfire_grace_time");

    /** Copies the list. */
    public SchedulerSpec {
        items = List.copyOf(items);
    }

    /**
     * Reads and checks a scheduler file; every problem is a one-line {@link UserError} with exit
     * code 2 naming the file, the line and the key.
     *
     * @param file the file
     * @return the checked spec
     */
    public static SchedulerSpec load(Path file) {
        LoadedYaml yaml = YamlLoader.load(file);
        return parse(yaml, file);
    }

    /**
     * @param yaml a loaded document
     * @param file its file (for messages and relative paths)
     * @return the checked spec
     */
    public static SchedulerSpec parse(LoadedYaml yaml, Path file) {
        Object data = yaml.data() == null ? Map.of() : yaml.data(); // empty file: {} as the reference
        if (!(data instanceof Map<?, ?> top)) {
            throw error(yaml, "", "the document must be a mapping with version, timezone and items");
        }
        unknownKeys(yaml, top, TOP_KEYS, "");
        int version = top.containsKey("version") ? integer(yaml, top.get("version"), "version") : 1;
        String tz = top.containsKey("timezone") ? string(yaml, top.get("timezone"), "timezone") : DEFAULT_TIMEZONE;
        ZoneId zone;
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw error(yaml, "timezone", "unknown time zone " + Quote.q(tz) + " (use an IANA name such as Europe/Berlin)");
        }
        Object rawItems = top.get("items");
        List<ScheduleItem> items = new ArrayList<>();
        if (rawItems != null) {
            if (!(rawItems instanceof List<?> list)) {
                throw error(yaml, "items", "items must be a list of items");
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                ScheduleItem item = item(yaml, list.get(i), "items[" + i + "]", zone);
                if (!ids.add(item.id())) {
                    throw error(yaml, "items[" + i + "].id", "duplicate item id " + Quote.q(item.id())
                            + " (conflicts with an earlier item; ids must be unique)");
                }
                items.add(item);
            }
        }
        return new SchedulerSpec(file, version, zone, items);
    }

    private static ScheduleItem item(LoadedYaml yaml, Object raw, String loc, ZoneId zone) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw error(yaml, loc, "an item must be a mapping with id, cron and flow_yaml (or bundle_manifest)");
        }
        unknownKeys(yaml, m, ITEM_KEYS, loc + ".");
        String id = requiredString(yaml, m, "id", loc);
        String cronText = requiredString(yaml, m, "cron", loc);
        String flowYaml = optionalString(yaml, m, "flow_yaml", loc);
        String flow = optionalString(yaml, m, "flow", loc);
        if ((flowYaml == null || flowYaml.isEmpty()) && flow != null && !flow.isEmpty()) {
            flowYaml = flow; // the alias, only when flow_yaml is empty (as the reference)
        }
        String bundle = optionalString(yaml, m, "bundle_manifest", loc);
        boolean hasFlow = flowYaml != null && !flowYaml.isEmpty();
        boolean hasBundle = bundle != null && !bundle.isEmpty();
        if (hasFlow == hasBundle) {
            throw error(yaml, loc, "item " + Quote.q(id) + " must set exactly one of 'bundle_manifest' or 'flow_yaml'");
        }
        String flowJob = optionalString(yaml, m, "flow_job", loc);
        boolean allowStale = false;
        if (m.get("allow_stale_bundle") != null) {
            if (!(m.get("allow_stale_bundle") instanceof Boolean b)) {
                throw error(yaml, loc + ".allow_stale_bundle", "must be true or false");
            }
            allowStale = b;
        }
        int grace = m.get("misfire_grace_time") == null ? DEFAULT_MISFIRE_GRACE
                : integer(yaml, m.get("misfire_grace_time"), loc + ".misfire_grace_time");
        if (grace < 0) {
            throw error(yaml, loc + ".misfire_grace_time", "must be a number of seconds >= 0, got " + grace);
        }
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(cronText, zone);
        } catch (IllegalArgumentException e) {
            throw error(yaml, loc + ".cron", "invalid cron expression " + Quote.q(cronText) + ": " + e.getMessage()
                    + " (5 fields: minute hour day-of-month month day-of-week, see docs/scheduler.md)");
        }
        return new ScheduleItem(id, cron, hasFlow ? flowYaml : null, flowJob, hasBundle ? bundle : null, allowStale,
                grace);
    }

    private static void unknownKeys(LoadedYaml yaml, Map<?, ?> m, Set<String> allowed, String prefix) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw error(yaml, prefix + k, "unknown key " + Quote.q(String.valueOf(k)) + " (allowed: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static String requiredString(LoadedYaml yaml, Map<?, ?> m, String key, String loc) {
        String v = optionalString(yaml, m, key, loc);
        if (v == null || v.isBlank()) {
            throw error(yaml, loc.isEmpty() ? key : loc, "field " + Quote.q(key) + " is required");
        }
        return v;
    }

    private static String optionalString(LoadedYaml yaml, Map<?, ?> m, String key, String loc) {
        Object v = m.get(key);
        return v == null ? null : string(yaml, v, loc + "." + key);
    }

    private static String string(LoadedYaml yaml, Object v, String loc) {
        if (!(v instanceof String s)) {
            throw error(yaml, loc, "must be a string, got " + Quote.q(String.valueOf(v)));
        }
        return s;
    }

    private static int integer(LoadedYaml yaml, Object v, String loc) {
        if (!(v instanceof Integer || v instanceof Long) || v instanceof Boolean) {
            throw error(yaml, loc, "must be an integer, got " + Quote.q(String.valueOf(v)));
        }
        return ((Number) v).intValue();
    }

    private static UserError error(LoadedYaml yaml, String loc, String msg) {
        LoadedYaml.Position p = yaml.position(loc);
        String where = (yaml.file() != null ? yaml.file() : yaml.source()) + (p == null ? "" : ":" + p.line());
        return new UserError(ExitCodes.INVALID, "invalid scheduler file: " + where + ": " + (loc.isEmpty() ? "" : loc
                + ": ") + msg);
    }
}
