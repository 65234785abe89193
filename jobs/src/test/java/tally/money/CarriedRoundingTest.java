package tally.money;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Worked examples of carried rounding: each posting = round(cumulative exact) - cumulative posted. */
class CarriedRoundingTest {

    /** The postings (cents) carried rounding makes for daily exact amounts (micro-cents), from an empty month. */
    static long[] carried(long... dailyUcents) {
        CarriedRounding carry = new CarriedRounding(0, 0);
        return Arrays.stream(dailyUcents).map(carry::next).toArray();
    }

    static long[] parse(String list) {
        return Arrays.stream(list.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    @ParameterizedTest(name = "days [{0}] micro-cents -> postings [{1}] cents")
    @CsvSource({
            // 0.4 cent a day: 0.4 -> 0, 0.8 -> 1, 1.2 -> 1, 1.6 -> 2, 2.0 -> 2
            "400000 400000 400000 400000 400000, 0 1 0 1 0",
            // exact halves: 0.5 -> 0, 1.0 -> 1, 1.5 -> 2, 2.0 -> 2, 2.5 -> 2, 3.0 -> 3
            "500000 500000 500000 500000 500000 500000, 0 1 1 0 0 1",
            // whole cents pass through unchanged
            "1000000 2000000 3000000, 1 2 3",
            // a day with no usage posts what the carry still owes, or nothing
            "1600000 0 1600000 0, 2 0 1 0",
            // 2.4 + 2.4 + 2.4 = 7.2: 2, 5 (4.8), 7 (7.2)
            "2400000 2400000 2400000, 2 3 2",
    })
    void postsTheChangeInRoundedCumulativeTotal(String dailyUcents, String expectedCents) {
        assertThat(carried(parse(dailyUcents))).containsExactly(parse(expectedCents));
    }

    @Test
    void resumesFromWhatTheLedgerAlreadyHolds() {
        // Earlier runs this month: 1.3 cents exact, 1 cent posted. Today 0.7 cent: round(2.0) - 1 = 1.
        CarriedRounding carry = new CarriedRounding(1_300_000, 1);
        assertThat(carry.next(700_000)).isEqualTo(1);
        assertThat(carry.exactUcents()).isEqualTo(2_000_000);
        assertThat(carry.postedCents()).isEqualTo(2);
    }

    @Test
    void alreadyPostedGroupAdvancesByWhatWasPostedNotByRecomputing() {
        CarriedRounding carry = new CarriedRounding(0, 0);
        carry.alreadyPosted(600_000, 1);          // 0.6 cent, a previous attempt posted 1
        assertThat(carry.exactUcents()).isEqualTo(600_000);
        assertThat(carry.postedCents()).isEqualTo(1);
        assertThat(carry.next(600_000)).as("round(1.2) - 1").isZero();
    }

    @Test
    void naivePerDayRoundingDriftsWhereCarriedRoundingDoesNot() {
        long[] days = new long[31];
        Arrays.fill(days, 1_600_000);             // 1.6 cents a day, exact month total 49.6 cents
        long carriedTotal = Arrays.stream(carried(days)).sum();
        long naiveTotal = Arrays.stream(days).map(Money::roundToCents).sum();
        assertThat(carriedTotal).isEqualTo(50);   // round_half_even(49.6)
        assertThat(naiveTotal).isEqualTo(62);     // 31 x 2: 12.4 cents too much
    }
}
