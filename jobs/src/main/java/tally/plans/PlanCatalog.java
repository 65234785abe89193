package tally.plans;

import tally.infra.BadInputException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Both plan catalogs as data (rating-rules/plan-*.csv, overage-prices.csv, package-products.csv),
 * validated by {@link PlanCatalogLoader}. Every lookup is at the start of a UTC day.
 */
public record PlanCatalog(EffectiveTable<TierRow> tiers, EffectiveTable<LimitRow> limits,
                          EffectiveTable<OveragePrice> overagePrices, EffectiveTable<PackageProduct> packages) {

    /** The tier an Aerostack or AgentStack account falls back to when a cancellation takes effect. */
    public static final String FREE_TIER = "free";

    static String tierKey(String catalog, String tier) {
        return catalog + "/" + tier;
    }

    static String limitKey(String catalog, String tier, String limit) {
        return catalog + "/" + tier + "/" + limit;
    }

    static String counterKey(String catalog, Counter counter) {
        return catalog + "/" + counter.code();
    }

    static String packageKey(String catalog, String packageName) {
        return catalog + "/" + packageName;
    }

    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The tier with its limits in force on {@code day}. */
    public Plan plan(String catalog, String tier, LocalDate day) {
        Instant at = startOf(day);
        TierRow row = tiers.at(tierKey(catalog, tier), at).orElseThrow(() -> new BadInputException(
                "rating-rules/plan-tiers.csv has no " + catalog + " tier '" + tier + "' in force on " + day));
        Map<String, Long> byName = new LinkedHashMap<>();
        for (LimitRow limit : limits.all()) {
            if (limit.catalog().equals(catalog) && limit.tier().equals(tier) && limit.covers(at)) {
                byName.put(limit.limit(), limit.value());
            }
        }
        for (Counter counter : Counter.of(catalog)) {
            if (!byName.containsKey(counter.code())) {
                throw new BadInputException("rating-rules/plan-limits.csv gives " + catalog + " tier '" + tier
                        + "' no " + counter.code() + " limit in force on " + day + " (tier row at " + row.source() + ")");
            }
        }
        return new Plan(catalog, tier, row.monthlyPriceCents(), row.yearlyPriceCents(), row.grace(),
                row.analyticsRetentionDays(), byName);
    }

    /** The overage price of a counter on {@code day}; empty = no overage: beyond the limit is blocked. */
    public Optional<OveragePrice> overagePrice(String catalog, Counter counter, LocalDate day) {
        return overagePrices.at(counterKey(catalog, counter), startOf(day));
    }

    /** A package as sold on {@code day}. */
    public PackageProduct product(String catalog, String packageName, LocalDate day) {
        return packages.at(packageKey(catalog, packageName), startOf(day)).orElseThrow(() -> new BadInputException(
                "rating-rules/package-products.csv has no " + catalog + " package '" + packageName + "' on sale on " + day));
    }
}
