package tally.payouts;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerStore;
import tally.ledger.LedgerTxn;
import tally.ledger.PostingIds;
import tally.ledger.TxnType;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The payout outbox and the ledger transactions that move a payout's money. A payout is created
 * pending together with its ledger transaction (developer balance -> Stripe clearing), in one
 * database transaction, before Stripe is called; it then becomes {@code paid} (Stripe accepted the
 * transfer), {@code failed} (Stripe refused it: the money is returned at once) or later
 * {@code returned} (a reversal or failed bank payout gave it back). Returns are ledger transactions
 * whose ids say how much came back in all, so none is ever posted twice.
 */
@Repository
public class PayoutStore {

    public record Payout(String payoutId, String creatorAccountId, String schedule, LocalDate payoutDate, long amountCents,
                         String destination, String transferGroup, String status, String stripeTransferId,
                         String failureReason) {
    }

    private static final RowMapper<Payout> ROW = (rs, n) -> new Payout(rs.getString("payout_id"),
            rs.getString("creator_account_id"), rs.getString("schedule"), rs.getDate("payout_date").toLocalDate(),
            rs.getLong("amount_cents"), rs.getString("destination"), rs.getString("transfer_group"), rs.getString("status"),
            rs.getString("stripe_transfer_id"), rs.getString("failure_reason"));

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;

    public PayoutStore(JdbcTemplate jdbc, LedgerStore ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** The Stripe transfer group of one run: every transfer of the run carries it. */
    public static String transferGroup(PayoutSchedule schedule, LocalDate payoutDate) {
        return "payouts:" + schedule.code() + ":" + payoutDate;
    }

    /** Posts the payout's ledger transaction and its pending outbox row (call inside one database transaction). */
    public void createPending(PayoutPlanner.Line line, PayoutSchedule schedule, LocalDate payoutDate, String runId) {
        String creator = line.accountId();
        long amount = line.amountCents();
        ledger.post(new LedgerTxn(line.payoutId(), creator, TxnType.PAYOUT, -amount,
                "Payout to " + line.stripeAccountId() + " (" + schedule.code() + " " + payoutDate + ")", payoutDate, runId,
                payoutDate, null, null, null, null, List.of(
                new LedgerTxn.Leg(LedgerAccounts.creatorPayable(creator), -amount),
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_STRIPE, amount))));
        jdbc.update("""
                insert into payout (payout_id, creator_account_id, schedule, payout_date, amount_cents, destination,
                    transfer_group, status)
                values (?, ?, ?, ?, ?, ?, ?, 'pending') on conflict (payout_id) do nothing""",
                line.payoutId(), creator, schedule.code(), Date.valueOf(payoutDate), amount, line.stripeAccountId(),
                transferGroup(schedule, payoutDate));
    }

    public List<Payout> ofRun(PayoutSchedule schedule, LocalDate payoutDate) {
        return jdbc.query("select * from payout where schedule = ? and payout_date = ? order by payout_id", ROW,
                schedule.code(), Date.valueOf(payoutDate));
    }

    public List<Payout> ofDate(LocalDate payoutDate) {
        return jdbc.query("select * from payout where payout_date = ? order by payout_id", ROW, Date.valueOf(payoutDate));
    }

    public Optional<Payout> find(String payoutId) {
        return jdbc.query("select * from payout where payout_id = ?", ROW, payoutId).stream().findFirst();
    }

    public Optional<Payout> findByTransfer(String stripeTransferId) {
        return jdbc.query("select * from payout where stripe_transfer_id = ?", ROW, stripeTransferId).stream().findFirst();
    }

    /** The payout if still pending, its row locked until the surrounding transaction ends. */
    public Optional<Payout> lockPending(String payoutId) {
        return jdbc.query("select * from payout where payout_id = ? and status = 'pending' for update", ROW, payoutId)
                .stream().findFirst();
    }

    public void markPaid(Payout payout, String stripeTransferId) {
        jdbc.update("""
                update payout set status = 'paid', stripe_transfer_id = ?, updated_at = clock_timestamp()
                where payout_id = ? and status = 'pending'""", stripeTransferId, payout.payoutId());
    }

    /** Stripe refused the transfer: the payout is failed with its reason and the whole amount returns. */
    public void markFailed(Payout payout, String reason, String runId) {
        returnMoney(payout, payout.amountCents(), "Payout failed: " + reason, payout.payoutDate(), runId);
        jdbc.update("""
                update payout set status = 'failed', failure_reason = ?, updated_at = clock_timestamp()
                where payout_id = ? and status = 'pending'""", reason, payout.payoutId());
    }

    /**
     * Money of a paid (or still pending) payout came back: returns to the developer balance whatever
     * of {@code returnedInAllCents} (capped at the payout's amount) has not come back yet.
     *
     * @return the cents returned now (0 when that much had already come back)
     */
    public long markReturned(Payout payout, long returnedInAllCents, String why, LocalDate effectiveDate, String runId) {
        long returned = returnMoney(payout, Math.min(returnedInAllCents, payout.amountCents()), why, effectiveDate, runId);
        jdbc.update("""
                update payout set status = 'returned', updated_at = clock_timestamp()
                where payout_id = ? and status in ('pending', 'paid')""", payout.payoutId());
        return returned;
    }

    private long returnMoney(Payout payout, long returnedInAllCents, String why, LocalDate effectiveDate, String runId) {
        String creator = payout.creatorAccountId();
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", LedgerAccounts.creatorPayable(creator));
        long cents = returnedInAllCents - returnedCents(payout.payoutId());
        if (cents <= 0) {
            return 0;
        }
        ledger.post(new LedgerTxn(PostingIds.payoutReturn(payout.payoutId(), returnedInAllCents), creator, TxnType.PAYOUT,
                cents, why, effectiveDate, runId, null, null, null, null, payout.payoutId(), List.of(
                new LedgerTxn.Leg(LedgerAccounts.creatorPayable(creator), cents),
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_STRIPE, -cents))));
        return cents;
    }

    /** What of a payout has come back to the developer balance so far. */
    public long returnedCents(String payoutId) {
        Long cents = jdbc.queryForObject("""
                select coalesce(sum(amount_cents), 0) from ledger_txn where refers_to = ? and type = 'payout'""",
                Long.class, payoutId);
        return cents == null ? 0 : cents;
    }
}
