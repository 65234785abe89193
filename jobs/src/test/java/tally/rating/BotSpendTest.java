package tally.rating;

import org.junit.jupiter.api.Test;
import tally.reference.Bot;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The spend record behind a bot's four caps: what is left is cap - spent, in exact micro-cents. */
class BotSpendTest {

    static final LocalDate MAR_10 = LocalDate.of(2026, 3, 10);

    @Test
    void historyFromEarlierDaysCountsOnlyAgainstTheCapsWhosePeriodItFallsIn() {
        Bot bot = RatingFixtures.cappedBot(null, null, 1L, 3L);        // 1 cent a day, 3 cents a month
        BotSpend spend = new BotSpend(bot);
        spend.addHistory("conv-0", LocalDate.of(2026, 2, 27), 5_000_000);  // last month: ignored by both
        spend.addHistory("conv-0", MAR_10.minusDays(1), 1_000_000);      // yesterday: counts for the month
        spend.addHistory("conv-0", MAR_10, 900_000);                     // today: counts for both

        assertThat(spend.applyCaps("conv-1", MAR_10, 750_000)).as("daily cap: 0.1 cent left").isEqualTo(100_000);
        assertThat(spend.applyCaps("conv-1", MAR_10.plusDays(1), 1_500_000)).as("next day: 1 cent daily cap")
                .isEqualTo(1_000_000);
        assertThat(spend.applyCaps("conv-1", MAR_10.plusDays(2), 1_000_000)).as("month: 3 - 3.0 spent")
                .isZero();
    }

    @Test
    void historyAboveTheCapLeavesNothingAndNeverANegativeCharge() {
        BotSpend spend = new BotSpend(RatingFixtures.cappedBot(2L, null, null, null));
        spend.addHistory("conv-0", MAR_10, 9_000_000);                   // already over (cap lowered later)
        assertThat(spend.applyCaps("conv-1", MAR_10, 750_000)).isZero();
    }

    @Test
    void conversationCapIsPerConversationAndAnEventWithoutOneStillCountsForTheOthers() {
        BotSpend spend = new BotSpend(RatingFixtures.cappedBot(null, 1L, 2L, null));
        assertThat(spend.applyCaps("conv-1", MAR_10, 1_000_000)).isEqualTo(1_000_000);
        assertThat(spend.applyCaps("conv-1", MAR_10, 1_000_000)).as("conversation cap used up").isZero();
        assertThat(spend.applyCaps(null, MAR_10, 600_000)).as("no conversation: daily cap only").isEqualTo(600_000);
        assertThat(spend.applyCaps("conv-2", MAR_10, 1_000_000)).as("daily cap: 2 - 1.6").isEqualTo(400_000);
    }
}
