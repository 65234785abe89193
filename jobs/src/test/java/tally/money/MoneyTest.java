package tally.money;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Money: the one place exact micro-cents (1e-6 cent) become whole cents, half-even. */
class MoneyTest {

    @ParameterizedTest(name = "{0} micro-cents -> {1} cents")
    @CsvSource({
            // below, at and above the half, from zero
            "0, 0",
            "1, 0",
            "499999, 0",
            "500000, 0",          // 0.5 -> 0 (even)
            "500001, 1",
            "999999, 1",
            "1000000, 1",
            // exact halves of both parities
            "1500000, 2",         // 1.5 -> 2 (even)
            "2500000, 2",         // 2.5 -> 2 (even)
            "3500000, 4",         // 3.5 -> 4
            "2499999, 2",
            "2500001, 3",
            "12345500000, 12346", // 12345.5 -> 12346
            "12346500000, 12346", // 12346.5 -> 12346
            // negatives (refunds, corrections): mirror image of the positives
            "-1, 0",
            "-499999, 0",
            "-500000, 0",         // -0.5 -> 0
            "-500001, -1",
            "-1500000, -2",       // -1.5 -> -2
            "-2500000, -2",       // -2.5 -> -2
            "-2500001, -3",
            "-3500000, -4",
    })
    void roundsMicroCentsToCentsHalfEven(long ucents, long cents) {
        assertThat(Money.roundToCents(ucents)).isEqualTo(cents);
    }

    @Property(tries = 500)
    void longRoundingAgreesWithBigDecimalHalfEven(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long ucents) {
        long expected = BigDecimal.valueOf(ucents, 6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        assertThat(Money.roundToCents(ucents)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} cents -> {1}")
    @CsvSource({"12.5, 12", "13.5, 14", "-12.5, -12", "-13.5, -14", "0.4999999, 0", "7.000001, 7"})
    void roundsDecimalCentsHalfEven(String cents, long expected) {
        assertThat(Money.roundToCents(new BigDecimal(cents))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "fee on {0} cents at {1} = {2} cents")
    @CsvSource({
            "100, 0.20, 20",
            "0, 0.20, 0",
            "7, 0.20, 1",       // 1.4 -> 1
            "8, 0.20, 2",       // 1.6 -> 2
            "999, 0.20, 200",   // 199.8 -> 200
            "5, 0.10, 0",       // 0.5 -> 0 (even)
            "15, 0.10, 2",      // 1.5 -> 2 (even)
            "25, 0.10, 2",      // 2.5 -> 2 (even)
            "35, 0.10, 4",      // 3.5 -> 4
            "3, 0.5, 2",        // 1.5 -> 2
            "1, 0.5, 0",        // 0.5 -> 0
            "250, 0, 0",
            "250, 1, 250",
            "1000, 0.125, 125",
            "4, 0.125, 0",      // 0.5 -> 0
            "12, 0.125, 2",     // 1.5 -> 2
    })
    void feeIsHalfEvenShareOfCollected(long collectedCents, String feeFraction, long feeCents) {
        long fee = Money.feeCents(collectedCents, new BigDecimal(feeFraction));
        assertThat(fee).isEqualTo(feeCents);
        assertThat(collectedCents - fee).as("creator's share").isBetween(0L, collectedCents);
    }

    @Test
    void microCentsPrintAsCentsWithSixPlaces() {
        assertThat(Money.ucentsAsCents(1_234_567L)).isEqualByComparingTo("1.234567");
        assertThat(Money.ucentsAsCents(1_234_567L).scale()).isEqualTo(6);
        assertThat(Money.ucentsAsCents(-5L).toPlainString()).isEqualTo("-0.000005");
    }

    @Test
    void centsToMicroCentsIsExactAndRefusesOverflow() {
        assertThat(Money.centsToUcents(25)).isEqualTo(25_000_000L);
        assertThat(Money.centsToUcents(-3)).isEqualTo(-3_000_000L);
        assertThatThrownBy(() -> Money.centsToUcents(Long.MAX_VALUE / 1000)).isInstanceOf(ArithmeticException.class);
    }
}
