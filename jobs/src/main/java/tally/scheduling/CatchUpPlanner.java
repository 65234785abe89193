package tally.scheduling;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which business dates of a job are due, in the order they must run. Pure: no clock, no database.
 *
 * <ul>
 *   <li>Due are the dates of every fire day after the one that ran the job's last completed date, up
 *       to {@code now}, oldest first. A failed date is not completed, so it stays first in line and
 *       every later date waits behind it: nothing is skipped, nothing completed is repeated.</li>
 *   <li>A job with no completed date yet starts at its latest fire in the last
 *       {@value #FIRST_RUN_LOOKBACK_DAYS} days (there is nothing to catch up from).</li>
 *   <li>A job {@code after} another runs a fire day only once the other has completed its date of
 *       that same fire day (payouts on Monday wait for Sunday's nightly run).</li>
 *   <li>At most {@code maxRuns} dates per call; the rest are due again on the next call.</li>
 * </ul>
 */
public final class CatchUpPlanner {

    public static final int FIRST_RUN_LOOKBACK_DAYS = 31;

    /** A schedule and the last business date its job completed, if any. */
    public record JobState(Schedule schedule, Optional<LocalDate> lastCompleted) {
    }

    private CatchUpPlanner() {
    }

    /**
     * The due business dates of {@code job}, oldest first, at most {@code maxRuns}.
     *
     * @param after the state of the schedule named by {@code job.schedule().after()}, if it has one
     */
    public static List<LocalDate> due(JobState job, Optional<JobState> after, Instant now, int maxRuns) {
        Schedule schedule = job.schedule();
        LocalDate today = now.atZone(schedule.zone()).toLocalDate();
        Optional<LocalDate> lastAllowedFireDay = Optional.empty();
        if (after.isPresent()) {
            if (after.get().lastCompleted().isEmpty()) {
                return List.of();
            }
            lastAllowedFireDay = after.get().lastCompleted().map(after.get().schedule()::fireDay);
        }
        LocalDate lastFireDay = lastAllowedFireDay.filter(d -> d.isBefore(today)).orElse(today);
        if (job.lastCompleted().isEmpty()) {
            for (LocalDate day = lastFireDay; !day.isBefore(lastFireDay.minusDays(FIRST_RUN_LOOKBACK_DAYS)); day = day.minusDays(1)) {
                if (schedule.firedOn(day, now)) {
                    return List.of(schedule.businessDate(day));
                }
            }
            return List.of();
        }
        List<LocalDate> due = new ArrayList<>();
        for (LocalDate day = schedule.fireDay(job.lastCompleted().get()).plusDays(1);
             !day.isAfter(lastFireDay) && due.size() < maxRuns; day = day.plusDays(1)) {
            if (schedule.firedOn(day, now)) {
                due.add(schedule.businessDate(day));
            }
        }
        return due;
    }
}
