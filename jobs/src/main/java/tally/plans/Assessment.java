package tally.plans;

/**
 * One counter of one month: what was used, the limit (plan plus packages, null = unlimited), the
 * hard limit when there is a grace buffer, the status and any overage charge.
 */
public record Assessment(Counter counter, long used, Long limit, Long hardLimit, QuotaStatus status,
                         long overageUnits, long overageCents) {
}
