package tally.rating;

/** What rating made of one event: rated amounts, or a reject with its reason. */
public sealed interface RatingOutcome {

    /**
     * A rated event. {@code costUcents} is the computed cost (token cost for bots and agents, the
     * price for tools; reported for BYOK too); {@code chargeUcents} is what the payer's wallet owes.
     */
    record Rated(String payerAccountId, String billingMode, long costUcents, long chargeUcents, boolean capped)
            implements RatingOutcome {
    }

    record Rejected(String reason, String detail) implements RatingOutcome {
    }
}
