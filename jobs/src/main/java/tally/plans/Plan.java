package tally.plans;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tier as it stands on one day: its prices, grace, retention and every limit (null value =
 * unlimited), assembled from plan-tiers.csv and plan-limits.csv.
 */
public record Plan(String catalog, String tier, Long monthlyPriceCents, Long yearlyPriceCents, BigDecimal grace,
                   Integer analyticsRetentionDays, Map<String, Long> limits) {

    public Plan {
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /** The monthly limit of a counter; null = unlimited. */
    public Long limit(Counter counter) {
        return limits.get(counter.code());
    }

    /** The limits that are not monthly counters (projects, members, ...), in file order. */
    public Map<String, Long> resourceCounts() {
        Map<String, Long> counts = new LinkedHashMap<>(limits);
        Counter.of(catalog).forEach(c -> counts.remove(c.code()));
        return counts;
    }

    /** The price of one billing period; null = custom. */
    public Long priceCents(BillingInterval interval) {
        return interval == BillingInterval.YEARLY ? yearlyPriceCents : monthlyPriceCents;
    }
}
