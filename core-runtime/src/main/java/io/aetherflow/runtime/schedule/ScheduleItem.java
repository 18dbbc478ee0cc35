package io.aetherflow.runtime.schedule;

/**
 * One item of a scheduler file.
 *
 * @param id the item id (unique in the file)
 * @param cron its schedule
 * @param flowYaml the flow file (relative to the scheduler's working directory), or null for a bundle item
 * @param flowJob the only job to run, or null
 * @param bundleManifest an asset bundle manifest, or null
 * @param allowStaleBundle use the last synced bundle when a sync fails
 * @param misfireGraceSeconds how late a fire may still start
 */
public record ScheduleItem(String id, CronSchedule cron, String flowYaml, String flowJob, String bundleManifest,
        boolean allowStaleBundle, int misfireGraceSeconds) {
}
