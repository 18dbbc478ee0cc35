package io.aetherflow.runtime.observe;

import io.aetherflow.runtime.ReplaceFile;
import io.aetherflow.runtime.state.JobRecord;
import io.aetherflow.runtime.state.RunDetails;
import io.aetherflow.runtime.state.RunRecord;
import io.aetherflow.runtime.state.StepRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus textfile-collector metrics ({@code AETHERFLOW_METRICS_TEXTFILE=path}), the usual way
 * cron jobs are watched: at the end of every run the flow's last status, start and end time,
 * duration, exit code, and step counts by status per job. The path is a file (the last run of any
 * flow) or a directory (one {@code aetherflow_flow_<flow_id>.prom} per flow). Written atomically: a
 * temporary file in the same directory, then renamed over the old one, so the collector never reads
 * half a file.
 */
public final class MetricsTextfile {

    /** The environment variable naming the file or directory. */
    public static final String ENV = "AETHERFLOW_METRICS_TEXTFILE";
    private static final String[] RUN_STATUSES = {"SUCCESS", "FAILED", "INTERRUPTED", "SKIPPED"};

    private MetricsTextfile() {
    }

    /**
     * @param setting the variable's value
     * @param flowId the flow
     * @return where that flow's run metrics go
     */
    public static Path runFile(String setting, String flowId) {
        Path p = Path.of(setting);
        return Files.isDirectory(p) ? p.resolve("aetherflow_flow_" + flowId + ".prom") : p;
    }

    /**
     * @param setting the variable's value
     * @return where the scheduler's item metrics go: {@code aetherflow_scheduler.prom} in that directory
     *     (or in the file's directory)
     */
    public static Path schedulerFile(String setting) {
        Path p = Path.of(setting).toAbsolutePath();
        return (Files.isDirectory(p) ? p : p.getParent()).resolve("aetherflow_scheduler.prom");
    }

    /**
     * @param run a finished run, with its jobs and steps
     * @param exitCode its exit code
     * @return the run's metrics in the text exposition format
     */
    public static String runMetrics(RunDetails run, int exitCode) {
        RunRecord r = run.run();
        String flow = "flow_id=\"" + label(r.flowId()) + "\"";
        StringBuilder sb = new StringBuilder();
        help(sb, "aetherflow_run_last_status", "1 for the status of the flow's last run, 0 for the others");
        for (String s : RUN_STATUSES) {
            sb.append("aetherflow_run_last_status{").append(flow).append(",status=\"").append(s).append("\"} ")
                    .append(s.equals(r.status().name()) ? 1 : 0).append('\n');
        }
        gauge(sb, "aetherflow_run_last_start_timestamp_seconds", "start of the flow's last run", flow,
                seconds(r.startedAtMs()));
        if (r.endedAtMs() != null) {
            gauge(sb, "aetherflow_run_last_end_timestamp_seconds", "end of the flow's last run", flow,
                    seconds(r.endedAtMs()));
            gauge(sb, "aetherflow_run_last_duration_seconds", "duration of the flow's last run", flow,
                    seconds(r.endedAtMs() - r.startedAtMs()));
        }
        gauge(sb, "aetherflow_run_last_exit_code", "exit code of the flow's last run", flow, Integer.toString(exitCode));
        help(sb, "aetherflow_job_last_status", "1 for the status of each job in the flow's last run");
        for (JobRecord j : run.jobs()) {
            sb.append("aetherflow_job_last_status{").append(flow).append(",job_id=\"").append(label(j.jobId()))
                    .append("\",status=\"").append(label(j.status())).append("\"} 1\n");
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (StepRecord s : run.steps()) {
            counts.merge(label(s.jobId()) + "\",status=\"" + label(s.status()), 1, Integer::sum);
        }
        help(sb, "aetherflow_job_last_steps", "steps of each job in the flow's last run, by status");
        counts.forEach((k, n) -> sb.append("aetherflow_job_last_steps{").append(flow).append(",job_id=\"").append(k)
                .append("\"} ").append(n).append('\n'));
        return sb.toString();
    }

    /**
     * Replaces the file atomically with the text.
     *
     * @param file the target
     * @param text the metrics
     * @throws IOException when it cannot be written
     */
    public static void write(Path file, String text) throws IOException {
        ReplaceFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param sb where to append
     * @param name metric name
     * @param help its help text
     */
    public static void help(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
    }

    /**
     * @param sb where to append
     * @param name metric name
     * @param help its help text
     * @param labels its labels, already formatted
     * @param value its value
     */
    public static void gauge(StringBuilder sb, String name, String help, String labels, String value) {
        help(sb, name, help);
        sb.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    /**
     * @param ms epoch or duration milliseconds
     * @return seconds with millisecond precision
     */
    public static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /**
     * @param value a label value
     * @return it escaped for the exposition format
     */
    public static String label(String value) {
        return String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
