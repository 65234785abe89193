package tally.scheduling;

import org.junit.jupiter.api.Test;
import tally.scheduling.CatchUpPlanner.JobState;
import tally.scheduling.Schedule.BusinessDate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which dates are due, in which order, and what waits: the schedules of config/schedules.yaml, no Spring. */
class CatchUpPlannerTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final Schedule NIGHTLY = new Schedule("nightly", "0 0 2 * * ?", UTC, BusinessDate.PREVIOUS_DAY, Optional.empty());
    static final Schedule CLOSE_MONTH = new Schedule("close-month", "0 0 4 1 * ?", UTC, BusinessDate.PREVIOUS_DAY, Optional.of("nightly"));
    static final Schedule PAYOUTS_WEEKLY = new Schedule("payouts-weekly", "0 0 5 ? * MON", UTC, BusinessDate.FIRE_DAY, Optional.of("nightly"));

    static List<LocalDate> due(Schedule schedule, String lastCompleted, String now) {
        return CatchUpPlanner.due(state(schedule, lastCompleted), Optional.empty(), Instant.parse(now), 7);
    }

    static JobState state(Schedule schedule, String lastCompleted) {
        return new JobState(schedule, Optional.ofNullable(lastCompleted).map(LocalDate::parse));
    }

    static List<LocalDate> dates(String... dates) {
        return List.of(dates).stream().map(LocalDate::parse).toList();
    }

    @Test
    void threeMissedNightsAreDueOldestFirst() {
        assertThat(due(NIGHTLY, "2026-03-01", "2026-03-05T09:00:00Z")).isEqualTo(dates("2026-03-02", "2026-03-03", "2026-03-04"));
    }

    @Test
    void todaysFireIsDueOnlyOnceItsTimeHasCome() {
        // 03-04's arrivals are rated by the fire of 03-05 at 02:00.
        assertThat(due(NIGHTLY, "2026-03-02", "2026-03-05T01:59:59Z")).isEqualTo(dates("2026-03-03"));
        assertThat(due(NIGHTLY, "2026-03-03", "2026-03-05T01:59:59Z")).isEmpty();
        assertThat(due(NIGHTLY, "2026-03-03", "2026-03-05T02:00:00Z")).isEqualTo(dates("2026-03-04"));
        assertThat(due(NIGHTLY, "2026-03-04", "2026-03-05T02:00:00Z")).isEmpty();
    }

    @Test
    void aFailedDateStaysFirstAndLaterDatesQueueBehindIt() {
        // 03-02 completed, 03-03 failed: it is not completed, so it is due again, before 03-04.
        assertThat(due(NIGHTLY, "2026-03-02", "2026-03-05T09:00:00Z")).isEqualTo(dates("2026-03-03", "2026-03-04"));
    }

    @Test
    void withoutHistoryAJobStartsAtItsLatestFire() {
        assertThat(due(NIGHTLY, null, "2026-03-05T09:00:00Z")).isEqualTo(dates("2026-03-04"));
        assertThat(due(NIGHTLY, null, "2026-03-05T01:00:00Z")).isEqualTo(dates("2026-03-03"));
        assertThat(due(CLOSE_MONTH, null, "2026-03-15T00:00:00Z")).isEqualTo(dates("2026-02-28"));
    }

    @Test
    void catchUpIsBoundedAndResumesWhereItStopped() {
        List<LocalDate> first = CatchUpPlanner.due(state(NIGHTLY, "2026-01-31"), Optional.empty(),
                Instant.parse("2026-03-05T09:00:00Z"), 3);
        assertThat(first).isEqualTo(dates("2026-02-01", "2026-02-02", "2026-02-03"));
        List<LocalDate> next = CatchUpPlanner.due(state(NIGHTLY, "2026-02-03"), Optional.empty(),
                Instant.parse("2026-03-05T09:00:00Z"), 3);
        assertThat(next).isEqualTo(dates("2026-02-04", "2026-02-05", "2026-02-06"));
    }

    @Test
    void monthCloseRunsTheLastDayOfEachEndedMonthOnceNightlyHasCaughtUp() {
        Instant now = Instant.parse("2026-04-01T06:00:00Z");
        JobState close = state(CLOSE_MONTH, "2026-01-31");
        assertThat(CatchUpPlanner.due(close, Optional.of(state(NIGHTLY, "2026-03-31")), now, 7))
                .isEqualTo(dates("2026-02-28", "2026-03-31"));
        assertThat(CatchUpPlanner.due(close, Optional.of(state(NIGHTLY, "2026-03-30")), now, 7))
                .as("March waits for the nightly run of March 31").isEqualTo(dates("2026-02-28"));
        assertThat(CatchUpPlanner.due(close, Optional.of(state(NIGHTLY, null)), now, 7)).isEmpty();
    }

    @Test
    void weeklyPayoutsRunOnMondaysDatedByTheMondayAfterTheSundayNight() {
        Instant now = Instant.parse("2026-03-17T06:00:00Z"); // a Tuesday
        JobState payouts = state(PAYOUTS_WEEKLY, "2026-03-02");
        assertThat(CatchUpPlanner.due(payouts, Optional.of(state(NIGHTLY, "2026-03-16")), now, 7))
                .isEqualTo(dates("2026-03-09", "2026-03-16"));
        assertThat(CatchUpPlanner.due(payouts, Optional.of(state(NIGHTLY, "2026-03-14")), now, 7))
                .as("Monday the 16th pays earnings before it: it waits for Sunday the 15th").isEqualTo(dates("2026-03-09"));
    }

    @Test
    void aScheduleInAnotherZoneCountsDaysInThatZone() {
        Schedule tokyo = new Schedule("nightly", "0 0 2 * * ?", ZoneId.of("Asia/Tokyo"), BusinessDate.PREVIOUS_DAY, Optional.empty());
        // 2026-03-04T17:30Z is 02:30 on 03-05 in Tokyo: the 03-05 fire has happened there.
        assertThat(due(tokyo, "2026-03-03", "2026-03-04T17:30:00Z")).isEqualTo(dates("2026-03-04"));
    }

    @Test
    void aFastScheduleFiringEverySecondStillRunsEachDateOnce() {
        Schedule fast = new Schedule("nightly", "* * * * * ?", UTC, BusinessDate.PREVIOUS_DAY, Optional.empty());
        assertThat(due(fast, "2026-03-01", "2026-03-04T00:00:05Z")).isEqualTo(dates("2026-03-02", "2026-03-03"));
    }
}
