package tally.payouts;

import tally.ledger.PostingIds;

import java.time.LocalDate;
import java.util.List;

/**
 * Who is paid how much in one payout run (RULES.md, Creator payouts). Pure: the creators' balances
 * come in, one line per creator goes out. A creator is paid what is due, at most the whole balance
 * (never more than is owed), when that is at least {@link #MINIMUM_PAYOUT_CENTS} and a connected
 * account exists; otherwise the balance carries to the next run.
 */
public final class PayoutPlanner {

    /** The wallet doc's minimum payout threshold: $10.00. */
    public static final long MINIMUM_PAYOUT_CENTS = 1000;

    /**
     * A creator on the run's schedule. {@code dueCents}: earnings effective before the run date less
     * every payout and return so far; {@code balanceCents}: the whole developer balance.
     */
    public record Creator(String accountId, String stripeAccountId, long dueCents, long balanceCents) {
    }

    public enum Decision { PAY, BELOW_MINIMUM, NO_CONNECTED_ACCOUNT, NOTHING_DUE }

    /** One creator's outcome; {@code payoutId} only for {@link Decision#PAY}. */
    public record Line(String accountId, String stripeAccountId, Decision decision, long amountCents, String payoutId) {
    }

    private PayoutPlanner() {
    }

    public static List<Line> plan(PayoutSchedule schedule, LocalDate payoutDate, List<Creator> creators) {
        return creators.stream().map(c -> line(schedule, payoutDate, c)).toList();
    }

    private static Line line(PayoutSchedule schedule, LocalDate payoutDate, Creator c) {
        long amount = Math.min(c.dueCents(), c.balanceCents());
        Decision decision;
        if (amount <= 0) {
            decision = Decision.NOTHING_DUE;
        } else if (c.stripeAccountId() == null || c.stripeAccountId().isBlank()) {
            decision = Decision.NO_CONNECTED_ACCOUNT;
        } else if (amount < MINIMUM_PAYOUT_CENTS) {
            decision = Decision.BELOW_MINIMUM;
        } else {
            decision = Decision.PAY;
        }
        return new Line(c.accountId(), c.stripeAccountId(), decision, Math.max(amount, 0),
                decision == Decision.PAY ? PostingIds.payout(c.accountId(), schedule.code(), payoutDate) : null);
    }
}
