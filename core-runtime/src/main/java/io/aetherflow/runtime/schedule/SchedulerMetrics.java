package io.aetherflow.runtime.schedule;

import io.aetherflow.runtime.observe.MetricsTextfile;
import java.time.Instant;
import java.util.List;

/**
 * The scheduler's textfile-collector metrics ({@code aetherflow_scheduler.prom} beside the run
 * metrics, see {@link MetricsTextfile}): per item the last and next fire time, fires run, misses and
 * the last run's exit code.
 */
final class SchedulerMetrics {

    private SchedulerMetrics() {
    }

    /**
     * @param items the items' state
     * @return the metrics in the text exposition format
     */
    static String text(List<Scheduler.ItemStatus> items) {
        StringBuilder sb = new StringBuilder();
        MetricsTextfile.help(sb, "aetherflow_schedule_last_fire_timestamp_seconds", "fire time of the item's last run");
        items.stream().filter(i -> i.lastFire() != null).forEach(i -> line(sb,
                "aetherflow_schedule_last_fire_timestamp_seconds", i, seconds(i.lastFire())));
        MetricsTextfile.help(sb, "aetherflow_schedule_next_fire_timestamp_seconds", "the item's next fire time");
        items.stream().filter(i -> i.nextFire() != null).forEach(i -> line(sb,
                "aetherflow_schedule_next_fire_timestamp_seconds", i, seconds(i.nextFire())));
        MetricsTextfile.help(sb, "aetherflow_schedule_fires", "fires of the item this scheduler ran since it started");
        items.forEach(i -> line(sb, "aetherflow_schedule_fires", i, Long.toString(i.fires())));
        MetricsTextfile.help(sb, "aetherflow_schedule_misses", "fires of the item dropped (misfire grace), skipped "
                + "(still running) or coalesced since the scheduler started");
        items.forEach(i -> line(sb, "aetherflow_schedule_misses", i, Long.toString(i.misses())));
        MetricsTextfile.help(sb, "aetherflow_schedule_last_exit_code", "exit code of the item's last run");
        items.stream().filter(i -> i.lastExit() != null).forEach(i -> line(sb, "aetherflow_schedule_last_exit_code", i,
                Integer.toString(i.lastExit())));
        MetricsTextfile.help(sb, "aetherflow_schedule_running", "1 while a run of the item is in progress");
        items.forEach(i -> line(sb, "aetherflow_schedule_running", i, i.running() ? "1" : "0"));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, Scheduler.ItemStatus i, String value) {
        sb.append(name).append("{item_id=\"").append(MetricsTextfile.label(i.id())).append("\"} ").append(value)
                .append('\n');
    }

    private static String seconds(Instant t) {
        return MetricsTextfile.seconds(t.toEpochMilli());
    }
}
