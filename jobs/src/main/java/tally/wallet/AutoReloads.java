package tally.wallet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.FaultInjection;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerStore;
import tally.ledger.LedgerTxn;
import tally.ledger.PostingIds;
import tally.ledger.TxnType;
import tally.stripe.StripeGateway;
import tally.stripe.StripeSettings;

import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The nightly run's auto-reloads, after its wallet debits are posted: each wallet the run debited,
 * in account order, is reloaded while {@link AutoReload#next} says so. Exactly once:
 *
 * <ol>
 *   <li>under the wallet's lock, the reload is decided from the ledger balance and written to the
 *       outbox as pending, with its id {@code reload:<account>:<run date>:<n>} (committed);</li>
 *   <li>its row locked, an off-session PaymentIntent is created with that id as idempotency key;
 *       success posts a deposit with the same id; a refusal pauses auto-reload and writes a
 *       notification; no answer fails the step, and the same command resumes the pending reload
 *       with the same key (a pending reload is always finished before another is decided).</li>
 * </ol>
 */
@Service
public class AutoReloads {

    private static final Logger log = LoggerFactory.getLogger(AutoReloads.class);

    record Reload(String reloadId, String accountId, long amountCents, String stripeCustomerId,
                  String stripePaymentMethodId) {
    }

    private static final RowMapper<Reload> ROW = (rs, n) -> new Reload(rs.getString("reload_id"), rs.getString("account_id"),
            rs.getLong("amount_cents"), rs.getString("stripe_customer_id"), rs.getString("stripe_payment_method_id"));

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final StripeGateway stripe;
    private final TransactionTemplate tx;

    public AutoReloads(JdbcTemplate jdbc, LedgerStore ledger, StripeGateway stripe, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.stripe = stripe;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Reloads the wallets the run debited; returns the run's reload totals. */
    public Map<String, Object> run(String runId, LocalDate runDate) {
        if (!stripe.configured()) {
            log.warn("{}: {}", runId, StripeSettings.notConfiguredMessage("auto-reload"));
        } else {
            List<String> accounts = jdbc.queryForList("""
                    select distinct t.account_id from ledger_txn t join wallet w using (account_id)
                    where t.run_id = ? and t.type = 'debit' and w.auto_reload_enabled order by 1""", String.class, runId);
            for (String account : accounts) {
                reloadWallet(account, runId, runDate);
            }
        }
        return totals(runId);
    }

    private void reloadWallet(String account, String runId, LocalDate runDate) {
        for (Reload reload = tx.execute(s -> pendingOrNext(account, runId, runDate)); reload != null;
             reload = tx.execute(s -> pendingOrNext(account, runId, runDate))) {
            String reloadId = reload.reloadId();
            tx.executeWithoutResult(s -> lockPending(reloadId).ifPresent(r -> charge(r, runId, runDate)));
        }
    }

    /** The wallet's unfinished reload of this run, else a new one if one is due (written pending), else null. */
    private Reload pendingOrNext(String account, String runId, LocalDate runDate) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", LedgerAccounts.wallet(account));
        List<Reload> pending = jdbc.query("select * from auto_reload where account_id = ? and run_id = ? and status = 'pending'",
                ROW, account, runId);
        if (!pending.isEmpty()) {
            return pending.get(0);
        }
        AutoReload.Settings settings = jdbc.queryForObject("""
                select w.*, exists (select 1 from auto_reload_pause p where p.account_id = w.account_id) as paused
                from wallet w where w.account_id = ?""", (rs, n) -> new AutoReload.Settings(rs.getBoolean("auto_reload_enabled"),
                rs.getObject("threshold_cents", Long.class), rs.getObject("amount_cents", Long.class),
                rs.getString("stripe_customer_id"), rs.getString("stripe_payment_method_id"), rs.getBoolean("paused")), account);
        Integer done = jdbc.queryForObject("select count(*) from auto_reload where account_id = ? and run_id = ?",
                Integer.class, account, runId);
        int reloadsThisRun = done == null ? 0 : done;
        OptionalLong amount = AutoReload.next(settings, ledger.walletBalanceCents(LedgerAccounts.wallet(account)), reloadsThisRun);
        if (amount.isEmpty()) {
            return null;
        }
        Reload reload = new Reload(PostingIds.reload(account, runDate, reloadsThisRun + 1), account, amount.getAsLong(),
                settings.stripeCustomerId(), settings.stripePaymentMethodId());
        jdbc.update("""
                insert into auto_reload (reload_id, account_id, run_id, run_date, sequence, amount_cents, stripe_customer_id,
                    stripe_payment_method_id, status)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'pending')""", reload.reloadId(), account, runId, Date.valueOf(runDate),
                reloadsThisRun + 1, reload.amountCents(), reload.stripeCustomerId(), reload.stripePaymentMethodId());
        return reload;
    }

    private Optional<Reload> lockPending(String reloadId) {
        return jdbc.query("select * from auto_reload where reload_id = ? and status = 'pending' for update", ROW, reloadId)
                .stream().findFirst();
    }

    private void charge(Reload reload, String runId, LocalDate runDate) {
        FaultInjection.checkpoint("stripe-call");
        StripeGateway.Outcome outcome = stripe.chargeOffSession(new StripeGateway.ReloadCharge(reload.reloadId(),
                reload.amountCents(), reload.stripeCustomerId(), reload.stripePaymentMethodId()));
        FaultInjection.checkpoint("stripe-response");
        String account = reload.accountId();
        if (outcome instanceof StripeGateway.Accepted accepted) {
            ledger.post(new LedgerTxn(reload.reloadId(), account, TxnType.DEPOSIT, reload.amountCents(), "Auto-reload",
                    runDate, runId, runDate, null, null, null, null, List.of(
                    new LedgerTxn.Leg(LedgerAccounts.wallet(account), reload.amountCents()),
                    new LedgerTxn.Leg(LedgerAccounts.CLEARING_STRIPE, -reload.amountCents()))));
            jdbc.update("""
                    update auto_reload set status = 'succeeded', payment_intent_id = ?, updated_at = clock_timestamp()
                    where reload_id = ?""", accepted.stripeId(), reload.reloadId());
        } else if (outcome instanceof StripeGateway.Declined declined) {
            log.warn("{}: the auto-reload charge was refused ({}); auto-reload is paused", reload.reloadId(), declined.reason());
            jdbc.update("""
                    update auto_reload set status = 'failed', failure_reason = ?, updated_at = clock_timestamp()
                    where reload_id = ?""", declined.reason(), reload.reloadId());
            jdbc.update("insert into auto_reload_pause (account_id, reload_id, reason) values (?, ?, ?) on conflict do nothing",
                    account, reload.reloadId(), declined.reason());
            jdbc.update("""
                    insert into notification (notification_id, account_id, kind, message) values (?, ?, 'auto_reload_failed', ?)
                    on conflict do nothing""", "auto-reload-failed:" + reload.reloadId(), account,
                    "Auto-reload of " + reload.amountCents() + " cents failed (" + declined.reason()
                            + "). Auto-reload is paused until you update your payment method.");
        } else {
            throw new IllegalStateException(reload.reloadId() + ": no answer from Stripe ("
                    + ((StripeGateway.Unknown) outcome).reason() + "); the reload is still pending: run the same command "
                    + "again to retry it with the same idempotency key");
        }
    }

    /** The run's reloads: how many succeeded and failed, and what they credited. */
    public Map<String, Object> totals(String runId) {
        Map<String, Object> totals = new LinkedHashMap<>();
        jdbc.query("""
                select count(*) filter (where status = 'succeeded'), count(*) filter (where status = 'failed'),
                       coalesce(sum(amount_cents) filter (where status = 'succeeded'), 0)
                from auto_reload where run_id = ?""", rs -> {
            totals.put("stripe_configured", stripe.configured());
            totals.put("succeeded", rs.getLong(1));
            totals.put("failed", rs.getLong(2));
            totals.put("credited_cents", rs.getLong(3));
        }, runId);
        return totals;
    }
}
