package tally.plans;

import java.time.Instant;

/** A rules row in force from {@code effectiveFrom} (inclusive) to {@code effectiveTo} (exclusive, null = open). */
public interface Effective {

    Instant effectiveFrom();

    Instant effectiveTo();

    /** The file and line it came from. */
    String source();

    default boolean covers(Instant at) {
        return !at.isBefore(effectiveFrom()) && (effectiveTo() == null || at.isBefore(effectiveTo()));
    }

    default boolean overlaps(Effective other) {
        boolean thisEndsBefore = effectiveTo() != null && !effectiveTo().isAfter(other.effectiveFrom());
        boolean otherEndsBefore = other.effectiveTo() != null && !other.effectiveTo().isAfter(effectiveFrom());
        return !thisEndsBefore && !otherEndsBefore;
    }
}
