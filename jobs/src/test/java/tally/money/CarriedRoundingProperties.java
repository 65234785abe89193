package tally.money;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RULES.md: with carried rounding, a month of daily postings for one (wallet, resource) never drifts
 * more than half a cent from the exact total, and the month's postings add up to its rounded total.
 */
class CarriedRoundingProperties {

    private static final long HALF_CENT_UCENTS = Money.UCENTS_PER_CENT / 2;

    @Property(tries = 300)
    void monthOfDailyPostingsStaysWithinHalfACentOfExact(
            @ForAll @Size(31) List<@LongRange(min = 0, max = 5_000_000_000L) Long> dailyExactUcents) {
        CarriedRounding carry = new CarriedRounding(0, 0);
        long cumulativeExact = 0;
        long cumulativePosted = 0;
        for (long dayUcents : dailyExactUcents) {
            long posted = carry.next(dayUcents);
            cumulativeExact += dayUcents;
            cumulativePosted += posted;
            assertThat(posted).as("a day's posting is never negative").isNotNegative();
            assertThat(Math.abs(Money.centsToUcents(cumulativePosted) - cumulativeExact))
                    .as("drift after a day").isLessThanOrEqualTo(HALF_CENT_UCENTS);
        }
        assertThat(cumulativePosted).isEqualTo(Money.roundToCents(cumulativeExact));
        assertThat(carry.postedCents()).isEqualTo(cumulativePosted);
        assertThat(carry.exactUcents()).isEqualTo(cumulativeExact);
    }

    @Property(tries = 200)
    void resumingMidMonthGivesTheSamePostingsAsOneRun(
            @ForAll @Size(31) List<@LongRange(min = 0, max = 500_000_000L) Long> dailyExactUcents,
            @ForAll @IntRange(min = 0, max = 31) int splitDay) {
        CarriedRounding oneRun = new CarriedRounding(0, 0);
        long[] expected = dailyExactUcents.stream().mapToLong(oneRun::next).toArray();

        CarriedRounding first = new CarriedRounding(0, 0);
        dailyExactUcents.subList(0, splitDay).forEach(first::next);
        CarriedRounding resumed = new CarriedRounding(first.exactUcents(), first.postedCents());
        long[] rest = dailyExactUcents.subList(splitDay, 31).stream().mapToLong(resumed::next).toArray();

        assertThat(rest).containsExactly(Arrays.copyOfRange(expected, splitDay, 31));
    }

    /** The contrast: rounding each day on its own drifts by up to half a cent per day. */
    @Example
    void naivePerDayRoundingDriftsBeyondHalfACent() {
        long dayUcents = 1_499_999;                        // 1.499999 cents, rounds down every day
        long naive = 31 * Money.roundToCents(dayUcents);   // 31
        long exactTotal = 31 * dayUcents;                  // 46.499969 cents
        assertThat(Money.centsToUcents(naive) - exactTotal).isLessThan(-15 * Money.UCENTS_PER_CENT);
        CarriedRounding carry = new CarriedRounding(0, 0);
        long carried = 0;
        for (int day = 0; day < 31; day++) {
            carried += carry.next(dayUcents);
        }
        assertThat(carried).isEqualTo(46);
    }
}
