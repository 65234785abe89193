package tally.scheduling;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

/**
 * One schedule of {@code config/schedules.yaml}: when a job fires (a Quartz cron expression in a
 * time zone), which business date a fire runs, and which schedule must have completed the same fire
 * day first. The name is also the name of the {@link ScheduledJob} it launches.
 */
public record Schedule(String name, String cron, ZoneId zone, BusinessDate businessDate, Optional<String> after) {

    /** The date a fire on day F runs. */
    public enum BusinessDate {
        /** F - 1: the day that just ended (nightly rating, month close on the 1st). */
        PREVIOUS_DAY,
        /** F itself (payouts are dated by their schedule day). */
        FIRE_DAY;

        public String key() {
            return name().toLowerCase();
        }
    }

    public Schedule {
        cronExpression(cron, zone); // refuses an invalid expression
    }

    /** The business date a fire on {@code fireDay} runs. */
    public LocalDate businessDate(LocalDate fireDay) {
        return businessDate == BusinessDate.PREVIOUS_DAY ? fireDay.minusDays(1) : fireDay;
    }

    /** The day whose fire runs {@code date}: the inverse of {@link #businessDate(LocalDate)}. */
    public LocalDate fireDay(LocalDate date) {
        return businessDate == BusinessDate.PREVIOUS_DAY ? date.plusDays(1) : date;
    }

    /** Whether the schedule fires on {@code day} (in its zone) at or before {@code now}. */
    public boolean firedOn(LocalDate day, Instant now) {
        Instant first = firstFireAtOrAfter(day.atStartOfDay(zone).toInstant());
        return first != null && first.isBefore(day.plusDays(1).atStartOfDay(zone).toInstant()) && !first.isAfter(now);
    }

    /** The first fire strictly after {@code instant}, or null if the expression never fires again. */
    public Instant nextFireAfter(Instant instant) {
        Date next = cronExpression(cron, zone).getTimeAfter(Date.from(instant));
        return next == null ? null : next.toInstant();
    }

    private Instant firstFireAtOrAfter(Instant instant) {
        return nextFireAfter(instant.minusMillis(1));
    }

    /** A Quartz cron expression in {@code zone}; an {@link IllegalArgumentException} naming the problem if invalid. */
    public static CronExpression cronExpression(String cron, ZoneId zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException("cron '" + cron + "' is invalid: " + e.getMessage()
                    + " (Quartz syntax: second minute hour day-of-month month day-of-week [year])", e);
        }
    }
}
