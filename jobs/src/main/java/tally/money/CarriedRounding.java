package tally.money;

/**
 * Carried rounding for usage debits (RULES.md, Money): each posting for one
 * (wallet, resource, month) is {@code round_half_even(cumulative exact) - cumulative cents posted},
 * so the postings of a month never drift more than half a cent from its exact total.
 *
 * <p>Start from what is already in the ledger and feed each new group's exact amount in posting
 * order.
 */
public final class CarriedRounding {

    private long exactUcents;
    private long postedCents;

    public CarriedRounding(long exactUcentsSoFar, long postedCentsSoFar) {
        this.exactUcents = exactUcentsSoFar;
        this.postedCents = postedCentsSoFar;
    }

    /** Adds one group's exact amount and returns the whole cents to post for it. */
    public long next(long groupExactUcents) {
        exactUcents = Math.addExact(exactUcents, groupExactUcents);
        long debitCents = Money.roundToCents(exactUcents) - postedCents;
        postedCents += debitCents;
        return debitCents;
    }

    /** Adds a group that was already posted (a restarted run), advancing by what the ledger holds for it. */
    public void alreadyPosted(long groupExactUcents, long postedCentsForGroup) {
        exactUcents = Math.addExact(exactUcents, groupExactUcents);
        postedCents += postedCentsForGroup;
    }

    public long exactUcents() {
        return exactUcents;
    }

    public long postedCents() {
        return postedCents;
    }
}
