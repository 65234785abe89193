package tally.plans;

import java.time.Instant;
import java.util.Locale;

/**
 * A package on sale (package-products.csv): {@code capacity} more units of {@code counter} per
 * month, for {@code priceCents}. Expansion packages are charged once, in the month of purchase;
 * storage packages each month they are active.
 */
public record PackageProduct(String catalog, String packageName, Instant effectiveFrom, Instant effectiveTo,
                             Kind kind, Counter counter, long capacity, long priceCents, String source)
        implements Effective {

    public enum Kind {
        EXPANSION, STORAGE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
