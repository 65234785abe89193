package tally.plans;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Status and overage of one counter (RULES.md, Plans, quotas, grace, overage). Pure. */
public final class Quotas {

    private Quotas() {
    }

    /**
     * @param limit   plan limit plus packages; null = unlimited
     * @param grace   the plan's grace fraction; null = none
     * @param overage the overage price when overage is enabled for this counter and priced; null = none
     */
    public static Assessment assess(Counter counter, long used, Long limit, BigDecimal grace, OveragePrice overage) {
        if (limit == null) {
            return new Assessment(counter, used, null, null, QuotaStatus.OK, 0, 0);
        }
        Long hardLimit = grace == null ? null : hardLimit(limit, grace);
        if (used <= limit) {
            return new Assessment(counter, used, limit, hardLimit, QuotaStatus.OK, 0, 0);
        }
        if (overage != null) {
            long units = used - limit;
            return new Assessment(counter, used, limit, hardLimit, QuotaStatus.OVERAGE, units, overage.chargeCents(units));
        }
        QuotaStatus status = hardLimit != null && used <= hardLimit ? QuotaStatus.GRACE : QuotaStatus.BLOCKED;
        return new Assessment(counter, used, limit, hardLimit, status, 0, 0);
    }

    /** floor(limit x (1 + grace)): 50,000 with 10% grace gives 55,000. */
    public static long hardLimit(long limit, BigDecimal grace) {
        return BigDecimal.valueOf(limit).multiply(BigDecimal.ONE.add(grace)).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
