package tally.rules;

import java.math.BigDecimal;
import java.time.Instant;

/** The marketplace fee in force from {@code effectiveFrom} (inclusive) to {@code effectiveTo} (exclusive, null = open). */
public record FeeRate(Instant effectiveFrom, Instant effectiveTo, BigDecimal feeFraction, String source) {

    public boolean coversInstant(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveTo == null || at.isBefore(effectiveTo));
    }
}
