package tally.ledger;

import java.time.LocalDate;
import java.util.List;

/**
 * One append-only ledger transaction and its legs. {@code txnId} is derived deterministically from
 * what caused it, so writing the same transaction twice is a no-op (UNIQUE + ON CONFLICT DO NOTHING).
 * The legs must sum to zero: checked here before writing and again by the database at commit.
 * {@code runDate} is the business date of the run that wrote it (the arrival day for nightly runs).
 */
public record LedgerTxn(String txnId, String accountId, TxnType type, long amountCents, String description,
                        LocalDate effectiveDate, String runId, LocalDate runDate, String resourceId, LocalDate usageMonth,
                        DebitAmounts debit, String refersTo, List<Leg> legs) {

    /** One leg: an amount on one ledger account. */
    public record Leg(String ledgerAccount, long amountCents) {
    }

    /**
     * For debits: what was due in cents, what the wallet covered, and the rest; a nightly debit also
     * the exact charge (micro-cents) of the usage group it posts (null on corrections: a re-rated
     * group's exact charge is kept in usage_group_rerated). A refund carries the three as
     * negatives: the charge taken back, the part refunded to the wallet, the part of the
     * uncollected amount cancelled.
     */
    public record DebitAmounts(Long exactUcents, long chargeCents, long collectedCents, long uncollectedCents) {
        public DebitAmounts {
            boolean sameSign = (collectedCents >= 0 && uncollectedCents >= 0) || (collectedCents <= 0 && uncollectedCents <= 0);
            if (!sameSign || chargeCents != collectedCents + uncollectedCents) {
                throw new IllegalArgumentException("debit amounts do not add up: charge " + chargeCents
                        + " != collected " + collectedCents + " + uncollected " + uncollectedCents);
            }
        }
    }

    public LedgerTxn {
        long sum = 0;
        for (Leg leg : legs) {
            sum = Math.addExact(sum, leg.amountCents());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("transaction " + txnId + " does not balance: legs sum to " + sum);
        }
        legs = List.copyOf(legs);
    }
}
