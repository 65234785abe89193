package tally.infra;

import java.time.LocalDate;

/**
 * A range of UTC business days (usage days, effective dates), both ends included, as the bot
 * analytics doc's {@code from} and {@code to}.
 */
public record DayRange(LocalDate from, LocalDate to) {

    public DayRange {
        if (to.isBefore(from)) {
            throw new BadInputException("--to " + to + " is before --from " + from);
        }
    }
}
