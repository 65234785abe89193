package tally.infra;

import java.time.LocalDate;

/**
 * A range of UTC business days (usage days, effective dates), both ends included, as the bot
 * analytics doc's {@code from} and {@code to}. At most {@link #MAX_DAYS} days.
 */
public record DayRange(LocalDate from, LocalDate to) {

    public static final int MAX_DAYS = 3660;

    public DayRange {
        if (to.isBefore(from)) {
            throw new BadInputException("--to " + to + " is before --from " + from);
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new BadInputException("--from " + from + " --to " + to + " spans more than " + MAX_DAYS + " days");
        }
    }
}
