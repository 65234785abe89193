package tally.ledger;

import java.time.LocalDate;

/**
 * Deterministic ledger ids: the same cause always gives the same id, so a repeated or restarted run
 * finds its postings already there (event id -> posting id -> Stripe idempotency key).
 */
public final class PostingIds {

    private PostingIds() {
    }

    /** The usage debit of one (wallet, resource, usage day) posted by the run for one arrival day. */
    public static String debit(String payerAccountId, String resourceId, LocalDate usageDate, LocalDate arrivalDate) {
        return "debit:" + payerAccountId + ":" + resourceId + ":" + usageDate + ":" + arrivalDate;
    }

    /** The creator earning that a tool-call debit (or correction) pays for. */
    public static String earningFor(String chargeTxnId) {
        return "earning:" + chargeTxnId.substring(chargeTxnId.indexOf(':') + 1);
    }

    /**
     * The {@code sequence}-th correction (1, 2, ...) of the group that the run of {@code runDate}
     * posted for (wallet, resource, usage day).
     */
    public static String correction(String payerAccountId, String resourceId, LocalDate usageDate, LocalDate runDate,
                                    int sequence) {
        return "correction:" + payerAccountId + ":" + resourceId + ":" + usageDate + ":" + runDate + ":" + sequence;
    }
}
