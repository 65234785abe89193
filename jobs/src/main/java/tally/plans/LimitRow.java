package tally.plans;

import java.time.Instant;

/** One row of plan-limits.csv: a tier's limit by name; {@code value} null = unlimited. */
public record LimitRow(String catalog, String tier, String limit, Instant effectiveFrom, Instant effectiveTo,
                       Long value, String source) implements Effective {
}
