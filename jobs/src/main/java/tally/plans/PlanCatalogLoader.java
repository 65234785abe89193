package tally.plans;

import org.apache.commons.csv.CSVRecord;
import tally.infra.BadInputException;
import tally.reference.ReferenceImporter;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import static tally.rules.RulesLoader.cell;
import static tally.rules.RulesLoader.checkRange;
import static tally.rules.RulesLoader.decimal;
import static tally.rules.RulesLoader.forEachRow;
import static tally.rules.RulesLoader.instant;
import static tally.rules.RulesLoader.optionalInstant;
import static tally.rules.RulesLoader.required;

/**
 * Loads and validates the plan catalogs from {@code rating-rules/}. Anything wrong (unknown
 * catalog or tier, overlapping dates, negative or sub-cent prices, a yearly price that is not
 * 12 x monthly x 0.75, a tier lacking a counter limit) is refused naming the file and line.
 */
public final class PlanCatalogLoader {

    public static final String PLAN_TIERS = "plan-tiers.csv";
    public static final String PLAN_LIMITS = "plan-limits.csv";
    public static final String OVERAGE_PRICES = "overage-prices.csv";
    public static final String PACKAGE_PRODUCTS = "package-products.csv";

    /** RULES.md: yearly price = 12 x monthly x 0.75. */
    public static final BigDecimal YEARLY_MONTHS_CHARGED = new BigDecimal("9.00");

    static final String CUSTOM = "custom";
    static final String UNLIMITED = "unlimited";

    private PlanCatalogLoader() {
    }

    public static PlanCatalog load(Path dir) {
        PlanCatalog catalog = new PlanCatalog(new EffectiveTable<>(), new EffectiveTable<>(), new EffectiveTable<>(),
                new EffectiveTable<>());
        loadTiers(dir.resolve(PLAN_TIERS), catalog.tiers());
        loadLimits(dir.resolve(PLAN_LIMITS), catalog.limits());
        loadOverage(dir.resolve(OVERAGE_PRICES), catalog.overagePrices());
        loadPackages(dir.resolve(PACKAGE_PRODUCTS), catalog.packages());
        for (TierRow tier : catalog.tiers().all()) {
            catalog.plan(tier.catalog(), tier.tier(), tier.effectiveFrom().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        }
        return catalog;
    }

    private static void loadTiers(Path file, EffectiveTable<TierRow> tiers) {
        forEachRow(file, (row, where) -> {
            String catalog = catalog(row, where);
            String tier = tier(row, catalog, where);
            Long monthly = priceCents(row, "price_usd_per_month", where);
            Long yearly = priceCents(row, "price_usd_per_year", where);
            if ((monthly == null) != (yearly == null)) {
                throw new BadInputException(where + ": a custom price must be custom both monthly and yearly");
            }
            if (monthly != null && BigDecimal.valueOf(monthly).multiply(YEARLY_MONTHS_CHARGED).compareTo(BigDecimal.valueOf(yearly)) != 0) {
                throw new BadInputException(where + ": price_usd_per_year must be 12 x monthly x 0.75 = "
                        + BigDecimal.valueOf(monthly * 9, 2) + ", not " + BigDecimal.valueOf(yearly, 2));
            }
            BigDecimal grace = optionalDecimal(row, "grace_pct", where);
            if (grace != null && (grace.signum() < 0 || grace.compareTo(BigDecimal.ONE) > 0)) {
                throw new BadInputException(where + ": grace_pct " + grace + " must be a fraction from 0 to 1 (0.10 = 10%)");
            }
            BigDecimal retention = optionalDecimal(row, "analytics_retention_days", where);
            Instant from = instant(required(row, "effective_from", where), where);
            Instant to = optionalInstant(cell(row, "effective_to"), where);
            checkRange(from, to, where);
            tiers.add(PlanCatalog.tierKey(catalog, tier), new TierRow(catalog, tier, from, to, monthly, yearly, grace,
                    retention == null ? null : retention.intValueExact(), where));
        });
    }

    private static void loadLimits(Path file, EffectiveTable<LimitRow> limits) {
        forEachRow(file, (row, where) -> {
            String catalog = catalog(row, where);
            String tier = tier(row, catalog, where);
            String name = required(row, "limit", where);
            Counter counter = Counter.ofCode(name);
            if (counter != null && !Counter.of(catalog).contains(counter)) {
                throw new BadInputException(where + ": " + name + " is not a counter of the " + catalog + " catalog");
            }
            String text = required(row, "value", where);
            Long value = UNLIMITED.equals(text) ? null : wholeNumber(text, "value", where);
            Instant from = instant(required(row, "effective_from", where), where);
            Instant to = optionalInstant(cell(row, "effective_to"), where);
            checkRange(from, to, where);
            limits.add(PlanCatalog.limitKey(catalog, tier, name), new LimitRow(catalog, tier, name, from, to, value, where));
        });
    }

    private static void loadOverage(Path file, EffectiveTable<OveragePrice> prices) {
        forEachRow(file, (row, where) -> {
            String catalog = catalog(row, where);
            Counter counter = counter(row, catalog, where);
            BigDecimal centsPer1000 = nonNegative(row, "price_usd_per_1000", where).movePointRight(2);
            Long minimum = priceCents(row, "minimum_charge_usd", where);
            if (minimum == null) {
                throw new BadInputException(where + ": minimum_charge_usd cannot be custom");
            }
            Instant from = instant(required(row, "effective_from", where), where);
            Instant to = optionalInstant(cell(row, "effective_to"), where);
            checkRange(from, to, where);
            prices.add(PlanCatalog.counterKey(catalog, counter),
                    new OveragePrice(catalog, counter, from, to, centsPer1000, minimum, where));
        });
    }

    private static void loadPackages(Path file, EffectiveTable<PackageProduct> packages) {
        forEachRow(file, (row, where) -> {
            String catalog = catalog(row, where);
            String name = required(row, "package", where);
            if (!ReferenceImporter.PACKAGES.contains(name)) {
                throw new BadInputException(where + ": package '" + name + "' is not one of " + ReferenceImporter.PACKAGES);
            }
            PackageProduct.Kind kind = oneOf(required(row, "kind", where), "kind", where);
            Counter counter = counter(row, catalog, where);
            long capacity = wholeNumber(required(row, "capacity", where), "capacity", where);
            Long price = priceCents(row, "price_usd", where);
            if (price == null) {
                throw new BadInputException(where + ": price_usd cannot be custom");
            }
            Instant from = instant(required(row, "effective_from", where), where);
            Instant to = optionalInstant(cell(row, "effective_to"), where);
            checkRange(from, to, where);
            packages.add(PlanCatalog.packageKey(catalog, name),
                    new PackageProduct(catalog, name, from, to, kind, counter, capacity, price, where));
        });
    }

    private static String catalog(CSVRecord row, String where) {
        String catalog = required(row, "catalog", where).toLowerCase(Locale.ROOT);
        if (!ReferenceImporter.TIERS.containsKey(catalog)) {
            throw new BadInputException(where + ": catalog '" + catalog + "' is not one of " + ReferenceImporter.TIERS.keySet());
        }
        return catalog;
    }

    private static String tier(CSVRecord row, String catalog, String where) {
        String tier = required(row, "tier", where).toLowerCase(Locale.ROOT);
        Set<String> tiers = ReferenceImporter.TIERS.get(catalog);
        if (!tiers.contains(tier)) {
            throw new BadInputException(where + ": unknown tier '" + tier + "' (" + catalog + " tiers: " + tiers + ")");
        }
        return tier;
    }

    private static Counter counter(CSVRecord row, String catalog, String where) {
        String code = required(row, "counter", where);
        Counter counter = Counter.ofCode(code);
        if (counter == null || !Counter.of(catalog).contains(counter)) {
            throw new BadInputException(where + ": counter '" + code + "' is not one of " + catalog + "'s "
                    + Counter.of(catalog).stream().map(Counter::code).toList());
        }
        return counter;
    }

    private static PackageProduct.Kind oneOf(String code, String column, String where) {
        for (PackageProduct.Kind kind : PackageProduct.Kind.values()) {
            if (kind.code().equals(code)) {
                return kind;
            }
        }
        throw new BadInputException(where + ": " + column + " '" + code + "' is not expansion or storage");
    }

    /** A USD price as whole cents; null for "custom". */
    private static Long priceCents(CSVRecord row, String column, String where) {
        String text = required(row, column, where);
        if (CUSTOM.equals(text)) {
            return null;
        }
        BigDecimal usd = nonNegative(row, column, where);
        if (usd.stripTrailingZeros().scale() > 2) {
            throw new BadInputException(where + ": " + column + " " + usd + " is not a whole number of cents");
        }
        return usd.movePointRight(2).longValueExact();
    }

    private static BigDecimal nonNegative(CSVRecord row, String column, String where) {
        BigDecimal value = decimal(required(row, column, where), column, where);
        if (value.signum() < 0) {
            throw new BadInputException(where + ": " + column + " is negative (" + value + ")");
        }
        return value;
    }

    private static BigDecimal optionalDecimal(CSVRecord row, String column, String where) {
        String text = cell(row, column);
        return text == null || text.isBlank() ? null : nonNegative(row, column, where);
    }

    private static long wholeNumber(String text, String column, String where) {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new BadInputException(where + ": " + column + " is negative (" + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadInputException(where + ": " + column + " '" + text + "' is not a whole number or 'unlimited'");
        }
    }
}
