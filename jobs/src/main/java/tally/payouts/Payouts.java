package tally.payouts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tally.cli.Json;
import tally.infra.FaultInjection;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerChecks;
import tally.stripe.StripeGateway;
import tally.stripe.StripeSettings;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tally payouts}: one run of a payout schedule. Exactly once across crashes and retries:
 *
 * <ol>
 *   <li>plan (one database transaction): each due creator's payout is posted to the ledger and
 *       written to the outbox as pending, under a lock on the run;</li>
 *   <li>send: each pending payout of the run, its row locked, becomes a Stripe Transfer whose
 *       idempotency key is the payout's ledger id; accepted -> paid, refused -> failed and the money
 *       returned, no answer -> still pending (the run is incomplete: the same command resumes it
 *       with the same keys);</li>
 *   <li>summarize: the run's control totals (transfers = payout entries) and ledger invariants.</li>
 * </ol>
 * Running the same command again plans nothing new (the run's payouts exist) and sends nothing
 * that Stripe already accepted.
 */
@Service
public class Payouts {

    private static final Logger log = LoggerFactory.getLogger(Payouts.class);

    private final JdbcTemplate jdbc;
    private final PayoutStore store;
    private final StripeGateway stripe;
    private final LedgerChecks checks;
    private final TransactionTemplate tx;

    public Payouts(JdbcTemplate jdbc, PayoutStore store, StripeGateway stripe, LedgerChecks checks,
                   PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.store = store;
        this.stripe = stripe;
        this.checks = checks;
        this.tx = new TransactionTemplate(transactions);
    }

    public static String runId(PayoutSchedule schedule, LocalDate payoutDate) {
        return runIdPrefix(schedule) + payoutDate;
    }

    /** What every run id of the schedule starts with. */
    public static String runIdPrefix(PayoutSchedule schedule) {
        return "payouts:" + schedule.code() + ":";
    }

    /** Runs (or with {@code dryRun} only plans) one payout run; the summary says whether it completed. */
    public Map<String, Object> run(PayoutSchedule schedule, LocalDate payoutDate, boolean dryRun) {
        String runId = runId(schedule, payoutDate);
        if (dryRun) {
            return summary(runId, schedule, payoutDate, "DRY_RUN", plan(schedule, payoutDate));
        }
        if (!stripe.configured()) {
            String message = StripeSettings.notConfiguredMessage("payouts " + schedule.code() + " " + payoutDate);
            log.warn(message);
            Map<String, Object> skipped = new LinkedHashMap<>();
            skipped.put("run_id", runId);
            skipped.put("status", "SKIPPED");
            skipped.put("message", message);
            skipped.put("controls_ok", true);
            record(runId, payoutDate, skipped);
            return skipped;
        }
        List<PayoutPlanner.Line> plan = tx.execute(status -> {
            jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", runId);
            List<PayoutPlanner.Line> lines = plan(schedule, payoutDate);
            lines.stream().filter(l -> l.decision() == PayoutPlanner.Decision.PAY)
                    .forEach(l -> store.createPending(l, schedule, payoutDate, runId));
            return lines;
        });
        for (PayoutStore.Payout payout : store.ofRun(schedule, payoutDate)) {
            if (payout.status().equals("pending")) {
                tx.executeWithoutResult(status -> store.lockPending(payout.payoutId()).ifPresent(p -> send(p, runId)));
            }
        }
        Map<String, Object> summary = summary(runId, schedule, payoutDate, null, plan);
        record(runId, payoutDate, summary);
        return summary;
    }

    /**
     * The run's summary in the run history. A SKIPPED run (no STRIPE_API_KEY) is recorded too: its
     * earnings carry to the next run, so a scheduler need not retry it; a later real run replaces it.
     */
    private void record(String runId, LocalDate payoutDate, Map<String, Object> summary) {
        jdbc.update("""
                insert into run_summary (run_id, job, business_date, summary, controls_ok) values (?, 'payouts', ?, ?::json, ?)
                on conflict (run_id) do update set summary = excluded.summary, controls_ok = excluded.controls_ok,
                    written_at = clock_timestamp()""",
                runId, Date.valueOf(payoutDate), Json.compact(summary), summary.get("controls_ok"));
    }

    private void send(PayoutStore.Payout payout, String runId) {
        FaultInjection.checkpoint("stripe-call");
        StripeGateway.Outcome outcome = stripe.transfer(new StripeGateway.TransferRequest(payout.payoutId(),
                payout.amountCents(), payout.destination(), payout.transferGroup()));
        FaultInjection.checkpoint("stripe-response");
        if (outcome instanceof StripeGateway.Accepted accepted) {
            store.markPaid(payout, accepted.stripeId());
        } else if (outcome instanceof StripeGateway.Declined declined) {
            log.warn("{}: Stripe refused the transfer: {}; the payout failed and its money is back in the balance",
                    payout.payoutId(), declined.reason());
            store.markFailed(payout, declined.reason(), runId);
        } else {
            log.warn("{}: no answer from Stripe ({}); still pending: run the same command again to retry with the same "
                    + "idempotency key", payout.payoutId(), ((StripeGateway.Unknown) outcome).reason());
        }
    }

    /** The run's plan from the ledger: creators on the schedule without a payout of this run yet. */
    private List<PayoutPlanner.Line> plan(PayoutSchedule schedule, LocalDate payoutDate) {
        List<PayoutPlanner.Creator> creators = jdbc.query("""
                select c.account_id, c.stripe_account_id,
                       coalesce(sum(e.amount_cents) filter (where t.effective_date < ? or t.type = 'payout'), 0),
                       coalesce(sum(e.amount_cents), 0)
                from creator c
                left join ledger_entry e on e.ledger_account = ? || c.account_id
                left join ledger_txn t on t.txn_id = e.txn_id
                where c.payout_schedule = ? and not exists (select 1 from payout p
                    where p.creator_account_id = c.account_id and p.schedule = ? and p.payout_date = ?)
                group by 1, 2 order by 1""",
                (rs, n) -> new PayoutPlanner.Creator(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                Date.valueOf(payoutDate), LedgerAccounts.CREATOR_PREFIX, schedule.code(), schedule.code(),
                Date.valueOf(payoutDate));
        return PayoutPlanner.plan(schedule, payoutDate, creators);
    }

    private Map<String, Object> summary(String runId, PayoutSchedule schedule, LocalDate payoutDate, String dryRunStatus,
                                        List<PayoutPlanner.Line> plan) {
        List<PayoutStore.Payout> payouts = store.ofRun(schedule, payoutDate);
        List<Map<String, Object>> rows = new ArrayList<>();
        long transferredCents = 0;
        long pendingCents = 0;
        for (PayoutStore.Payout p : payouts) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("payout_id", p.payoutId());
            row.put("account_id", p.creatorAccountId());
            row.put("destination", p.destination());
            row.put("amount_cents", p.amountCents());
            row.put("status", p.status());
            row.put("stripe_transfer_id", p.stripeTransferId());
            row.put("failure_reason", p.failureReason());
            rows.add(row);
            transferredCents += p.stripeTransferId() != null ? p.amountCents() : 0;
            pendingCents += p.status().equals("pending") ? p.amountCents() : 0;
        }
        List<Map<String, Object>> planned = new ArrayList<>();
        for (PayoutPlanner.Line line : plan) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("account_id", line.accountId());
            row.put("decision", line.decision().name().toLowerCase());
            row.put("amount_cents", line.amountCents());
            planned.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", runId);
        out.put("schedule", schedule.code());
        out.put("date", payoutDate.toString());
        out.put("status", dryRunStatus != null ? dryRunStatus : pendingCents > 0 ? "INCOMPLETE" : "COMPLETED");
        out.put("transfer_group", PayoutStore.transferGroup(schedule, payoutDate));
        out.put("payouts", rows);
        out.put(dryRunStatus != null ? "plan" : "planned_now", planned);
        if (dryRunStatus == null) {
            // Stripe transfers of the run = the payout entries it posted, net of returns of failed payouts.
            Long entriesCents = jdbc.queryForObject("""
                    select -coalesce(sum(amount_cents), 0) from ledger_txn where run_id = ? and type = 'payout'""",
                    Long.class, runId);
            Map<String, Object> controls = new LinkedHashMap<>();
            controls.put("transfers_equal_payout_entries", entriesCents != null && entriesCents == transferredCents + pendingCents);
            checks.violations().forEach((name, ids) -> controls.put("ledger_" + name, ids.isEmpty()));
            out.put("transferred_cents", transferredCents);
            out.put("pending_cents", pendingCents);
            out.put("controls", controls);
            out.put("controls_ok", controls.values().stream().allMatch(Boolean.TRUE::equals));
        }
        return out;
    }
}
