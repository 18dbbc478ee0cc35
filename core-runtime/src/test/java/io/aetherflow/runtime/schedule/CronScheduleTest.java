package io.aetherflow.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classic cron semantics, time zones and DST of {@link CronSchedule}. */
class CronScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static List<String> next(String cron, ZoneId zone, String from, int n) {
        return CronSchedule.parse(cron, zone).next(Instant.parse(from), n).stream()
                .map(i -> i.atZone(zone).toOffsetDateTime().toString()).toList();
    }

    @Test
    void dayOfWeekZeroAndSevenAreSunday() {
        // 2026-12-06 is a Sunday
        assertEquals(List.of("2026-12-06T09:00+01:00", "2026-12-13T09:00+01:00"),
                next("0 9 * * 0", BERLIN, "2026-12-01T00:00:00Z", 2));
        assertEquals(next("0 9 * * 0", BERLIN, "2026-12-01T00:00:00Z", 3), next("0 9 * * 7", BERLIN,
                "2026-12-01T00:00:00Z", 3));
        assertEquals(next("0 9 * * sun", BERLIN, "2026-12-01T00:00:00Z", 3), next("0 9 * * 7", BERLIN,
                "2026-12-01T00:00:00Z", 3));
        // 1 is Monday (2026-12-07), not Tuesday as with APScheduler's numbering
        assertEquals(List.of("2026-12-07T09:00+01:00"), next("0 9 * * 1", BERLIN, "2026-12-01T00:00:00Z", 1));
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothRestricted() {
        // the 13th, or any Friday: Fri 4th, Fri 11th, Sun 13th, Fri 18th
        assertEquals(List.of("2026-12-04T12:00+01:00", "2026-12-11T12:00+01:00", "2026-12-13T12:00+01:00",
                "2026-12-18T12:00+01:00"), next("0 12 13 * 5", BERLIN, "2026-12-01T00:00:00Z", 4));
        // a restricted day-of-month with '*' day-of-week: only the day of month
        assertEquals(List.of("2026-12-13T12:00+01:00", "2027-01-13T12:00+01:00"),
                next("0 12 13 * *", BERLIN, "2026-12-01T00:00:00Z", 2));
    }

    @Test
    void stepsRangesAndListsInTheSchedulersZone() {
        assertEquals(List.of("2026-12-01T00:00-05:00", "2026-12-01T00:15-05:00", "2026-12-01T00:30-05:00"),
                next("*/15 * * * *", NEW_YORK, "2026-12-01T04:50:00Z", 3));
        assertEquals(List.of("2026-12-01T08:00+01:00", "2026-12-01T17:00+01:00"),
                next("0 8,17 * * mon-fri", BERLIN, "2026-11-30T22:00:00Z", 2));
    }

    @Test
    void berlinSpringForwardSkipsTheMissingHour() {
        // 2027-03-28 02:00 -> 03:00 in Berlin: 02:30 does not exist that day
        assertEquals(List.of("2027-03-27T02:30+01:00", "2027-03-29T02:30+02:00"),
                next("30 2 * * *", BERLIN, "2027-03-27T00:00:00Z", 2));
        // every 30 minutes across the gap: 01:30 CET, then 03:00 CEST
        assertEquals(List.of("2027-03-28T01:30+01:00", "2027-03-28T03:00+02:00"),
                next("0,30 * * * *", BERLIN, "2027-03-28T00:15:00Z", 2));
    }

    @Test
    void berlinFallBackFiresTheRepeatedHourOnce() {
        // 2027-10-31 03:00 CEST -> 02:00 CET: 02:30 occurs twice, fires once (the first)
        assertEquals(List.of("2027-10-31T02:30+02:00", "2027-11-01T02:30+01:00"),
                next("30 2 * * *", BERLIN, "2027-10-30T12:00:00Z", 2));
        // hourly: 02:00 once, then 03:00 CET (one hour and a half later in real time is fine; no double run)
        assertEquals(List.of("2027-10-31T01:00+02:00", "2027-10-31T02:00+02:00", "2027-10-31T03:00+01:00"),
                next("0 * * * *", BERLIN, "2027-10-30T22:30:00Z", 3));
        // asked from inside the second 02:xx (after the first was fired): nothing more until 03:00
        assertEquals(List.of("2027-10-31T03:00+01:00"),
                next("*/30 * * * *", BERLIN, "2027-10-31T01:10:00Z", 1));
    }

    @Test
    void newYorkTransitions() {
        // 2027-03-14 02:00 EST -> 03:00 EDT; 2027-11-07 02:00 EDT -> 01:00 EST
        assertEquals(List.of("2027-03-13T02:15-05:00", "2027-03-15T02:15-04:00"),
                next("15 2 * * *", NEW_YORK, "2027-03-13T00:00:00Z", 2));
        assertEquals(List.of("2027-11-07T01:30-04:00", "2027-11-08T01:30-05:00"),
                next("30 1 * * *", NEW_YORK, "2027-11-06T12:00:00Z", 2));
        ZonedDateTime first = ZonedDateTime.parse("2027-11-07T01:30-04:00[America/New_York]");
        assertTrue(CronSchedule.parse("30 1 * * *", NEW_YORK).next(first.toInstant()).orElseThrow()
                .isAfter(first.plusDays(1).toInstant().minusSeconds(1)));
    }

    @Test
    void invalidExpressionsAreOneLineErrors() {
        assertEquals("expected 5 fields (minute hour day-of-month month day-of-week), got 6",
                assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 * * * *", BERLIN))
                        .getMessage());
        for (String bad : List.of("61 * * * *", "* 24 * * *", "* * 32 * *", "* * * 13 *", "* * * * 8", "x * * * *")) {
            String msg = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(bad, BERLIN))
                    .getMessage();
            assertTrue(!msg.contains("\n") && !msg.isBlank(), bad + ": " + msg);
        }
    }
}
