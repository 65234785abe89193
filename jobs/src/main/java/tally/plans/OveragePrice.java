package tally.plans;

import tally.money.Money;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The overage price of one counter (overage-prices.csv): exact cents per 1,000 units, charged pro
 * rata per unit, rounded half-even to cents, never less than the minimum when there is any overage.
 */
public record OveragePrice(String catalog, Counter counter, Instant effectiveFrom, Instant effectiveTo,
                           BigDecimal centsPer1000, long minimumChargeCents, String source) implements Effective {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** The charge for {@code units} beyond the limit (0 for none). */
    public long chargeCents(long units) {
        if (units <= 0) {
            return 0;
        }
        long cents = Money.roundToCents(BigDecimal.valueOf(units).multiply(centsPer1000).divide(THOUSAND));
        return Math.max(cents, minimumChargeCents);
    }
}
