package tally.payouts;

import tally.infra.BadInputException;

import java.time.DayOfWeek;
import java.time.LocalDate;

/** The automatic payout schedules of the wallet doc: weekly runs on Mondays, monthly on the 1st. */
public enum PayoutSchedule {
    WEEKLY, MONTHLY;

    public String code() {
        return name().toLowerCase();
    }

    public boolean isRunDay(LocalDate date) {
        return this == WEEKLY ? date.getDayOfWeek() == DayOfWeek.MONDAY : date.getDayOfMonth() == 1;
    }

    public static PayoutSchedule of(String code) {
        for (PayoutSchedule schedule : values()) {
            if (schedule.code().equals(code)) {
                return schedule;
            }
        }
        throw new BadInputException("--schedule " + code + " must be weekly or monthly (manual payouts are requested from the dashboard)");
    }

    /** Refuses a date that is not this schedule's run day, unless forced. */
    public void requireRunDay(LocalDate date, boolean force) {
        if (!force && !isRunDay(date)) {
            throw new BadInputException("--date " + date + " is a " + date.getDayOfWeek().name().toLowerCase() + ": "
                    + code() + " payouts run on " + (this == WEEKLY ? "Mondays" : "the 1st of the month")
                    + " (add --force to run anyway)");
        }
    }
}
