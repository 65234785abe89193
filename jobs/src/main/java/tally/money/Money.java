package tally.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one place Tally rounds money.
 *
 * <p>While rating, amounts are exact micro-cents ({@code long}, 1e-6 cent = 1e-8 USD: the six
 * decimal places of RULES.md). The ledger holds whole cents. Every conversion from an exact
 * amount to cents goes through {@link #roundToCents}, half-even, and nowhere else.
 */
public final class Money {

    /** The only rounding mode used for money (RULES.md: round_half_even). */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    /** Micro-cents in one cent. */
    public static final long UCENTS_PER_CENT = 1_000_000L;

    public static final String CURRENCY = "USD";

    private Money() {
    }

    /** Exact micro-cents to whole cents, half-even. */
    public static long roundToCents(long ucents) {
        long cents = Math.floorDiv(ucents, UCENTS_PER_CENT);
        long remainder = Math.floorMod(ucents, UCENTS_PER_CENT);
        long half = UCENTS_PER_CENT / 2;
        if (remainder > half || (remainder == half && (cents & 1L) == 1L)) {
            cents++;
        }
        return cents;
    }

    /** An exact decimal number of cents to whole cents, half-even (fees, overage pro rata). */
    public static long roundToCents(BigDecimal cents) {
        return cents.setScale(0, ROUNDING).longValueExact();
    }

    public static long centsToUcents(long cents) {
        return Math.multiplyExact(cents, UCENTS_PER_CENT);
    }

    /** Micro-cents as a decimal number of cents with six places, for reports and exports. */
    public static BigDecimal ucentsAsCents(long ucents) {
        return BigDecimal.valueOf(ucents, 6);
    }

    /**
     * The marketplace fee on a collected amount: {@code round_half_even(collected x feeFraction)}.
     * The creator earns the complement.
     */
    public static long feeCents(long collectedCents, BigDecimal feeFraction) {
        return roundToCents(BigDecimal.valueOf(collectedCents).multiply(feeFraction));
    }
}
