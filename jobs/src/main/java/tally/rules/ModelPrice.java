package tally.rules;

import java.time.Instant;

/**
 * One effective-dated price row for a (provider, model), in micro-cents per token
 * (numerically equal to USD per million tokens x 100). {@code effectiveTo} is exclusive; null is open.
 */
public record ModelPrice(String provider, String model, Instant effectiveFrom, Instant effectiveTo,
                         long inputUcentsPerToken, long outputUcentsPerToken, String source) {

    public boolean coversInstant(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveTo == null || at.isBefore(effectiveTo));
    }

    public boolean overlaps(ModelPrice other) {
        boolean thisEndsBefore = effectiveTo != null && !effectiveTo.isAfter(other.effectiveFrom);
        boolean otherEndsBefore = other.effectiveTo != null && !other.effectiveTo.isAfter(effectiveFrom);
        return !thisEndsBefore && !otherEndsBefore;
    }

    /** Exact cost of a token count at this price. */
    public long costUcents(long tokensInput, long tokensOutput) {
        return Math.addExact(Math.multiplyExact(tokensInput, inputUcentsPerToken),
                Math.multiplyExact(tokensOutput, outputUcentsPerToken));
    }
}
