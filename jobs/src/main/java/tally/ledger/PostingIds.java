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

    /**
     * The creator earning of one tool's calls on one usage day, posted by the run for one arrival
     * day for the debits of that day's calls it posted.
     */
    public static String toolEarning(String toolId, LocalDate usageDate, LocalDate arrivalDate) {
        return "earning:tool:" + toolId + ":" + usageDate + ":" + arrivalDate;
    }

    /** The creator earning that a rerun's correction of a tool-call debit moves. */
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

    /**
     * A creator's payout of one schedule run: also the Stripe Transfer's idempotency key. RULES.md:
     * derived from (creator, schedule, period).
     */
    public static String payout(String creatorAccountId, String schedule, LocalDate payoutDate) {
        return "payout:" + creatorAccountId + ":" + schedule + ":" + payoutDate;
    }

    /**
     * Money of a payout coming back to the developer balance, bringing what came back in all to
     * {@code returnedInAllCents}: a failed transfer, a reversal or a failed bank payout of the same
     * amount give the same id, so money returns once however often and in whatever order they arrive.
     */
    public static String payoutReturn(String payoutId, long returnedInAllCents) {
        return "payout-return:" + payoutId.substring(payoutId.indexOf(':') + 1) + ":" + returnedInAllCents;
    }

    /** The {@code sequence}-th auto-reload (1..3) of a wallet in the nightly run of {@code runDate}: its deposit and Stripe key. */
    public static String reload(String accountId, LocalDate runDate, int sequence) {
        return "reload:" + accountId + ":" + runDate + ":" + sequence;
    }
}
