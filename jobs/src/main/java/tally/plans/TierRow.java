package tally.plans;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of plan-tiers.csv. Prices are whole cents; null means "custom" (negotiated outside
 * Tally). {@code grace} is a fraction (0.10 = 10%), null = none; retention null = unlimited.
 */
public record TierRow(String catalog, String tier, Instant effectiveFrom, Instant effectiveTo,
                      Long monthlyPriceCents, Long yearlyPriceCents, BigDecimal grace,
                      Integer analyticsRetentionDays, String source) implements Effective {
}
