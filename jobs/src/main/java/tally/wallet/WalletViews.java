package tally.wallet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.infra.BadInputException;
import tally.ledger.LedgerAccounts;
import tally.money.Money;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wallet doc's read views (balance, transactions, earnings), computed from the ledger. */
@Component
public class WalletViews {

    /** Balance levels of RULES.md: below 500 yellow, below 100 red, 0 blocked. */
    public static final long YELLOW_BELOW_CENTS = 500;
    public static final long RED_BELOW_CENTS = 100;

    private final JdbcTemplate jdbc;

    public WalletViews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private void requireAccount(String accountId) {
        Boolean known = jdbc.queryForObject("select exists (select 1 from account where account_id = ?)", Boolean.class, accountId);
        if (!Boolean.TRUE.equals(known)) {
            throw new BadInputException("--account " + accountId + " is not a known account");
        }
    }

    public static String level(long balanceCents) {
        if (balanceCents <= 0) {
            return "blocked";
        }
        if (balanceCents < RED_BELOW_CENTS) {
            return "red";
        }
        return balanceCents < YELLOW_BELOW_CENTS ? "yellow" : "ok";
    }

    public Map<String, Object> balance(String accountId) {
        requireAccount(accountId);
        long balance = sum("select coalesce(sum(amount_cents), 0) from ledger_entry where ledger_account = ?",
                LedgerAccounts.wallet(accountId));
        long deposited = sum("select coalesce(sum(amount_cents), 0) from ledger_txn where account_id = ? and type = 'deposit'", accountId);
        long spent = -sum("select coalesce(sum(amount_cents), 0) from ledger_txn where account_id = ? and type in ('debit', 'refund')", accountId);
        long uncollected = -sum("select coalesce(sum(amount_cents), 0) from ledger_entry where ledger_account = ?",
                LedgerAccounts.receivable(accountId));
        Map<String, Object> autoReload = new LinkedHashMap<>();
        autoReload.put("enabled", false);
        autoReload.put("threshold_cents", null);
        autoReload.put("amount_cents", null);
        boolean[] paused = new boolean[1];
        jdbc.query("""
                select auto_reload_enabled, threshold_cents, amount_cents,
                       exists (select 1 from auto_reload_pause p where p.account_id = w.account_id)
                from wallet w where account_id = ?""", rs -> {
            autoReload.put("enabled", rs.getBoolean(1));
            autoReload.put("threshold_cents", rs.getObject(2));
            autoReload.put("amount_cents", rs.getObject(3));
            paused[0] = rs.getBoolean(4);
        }, accountId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("balance_cents", balance);
        out.put("currency", Money.CURRENCY.toLowerCase());
        out.put("auto_reload", autoReload);
        out.put("lifetime_deposited_cents", deposited);
        out.put("lifetime_spent_cents", spent);
        out.put("uncollected_cents", uncollected);
        out.put("level", level(balance));
        out.put("auto_reload_paused", paused[0]);
        return out;
    }

    /**
     * Newest effective date first; within a date, the run that wrote last first, and within a run by
     * id (reload, earning, debit). Not by write time alone: a run posts its wallets in parallel
     * partitions, and the listing must not depend on which partition committed first.
     */
    public Map<String, Object> transactions(String accountId, int limit, int offset) {
        requireAccount(accountId);
        if (limit < 1 || limit > 200) {
            throw new BadInputException("--limit " + limit + " is outside 1..200");
        }
        if (offset < 0) {
            throw new BadInputException("--offset " + offset + " is negative");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.query("""
                select txn_id, type, amount_cents, description, effective_date, extract(epoch from written_at)::bigint
                from ledger_txn where account_id = ?
                order by effective_date desc, max(written_at) over (partition by run_id) desc, txn_id desc
                limit ? offset ?""", rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getString(1));
            row.put("type", rs.getString(2));
            row.put("amount_cents", rs.getLong(3));
            row.put("description", rs.getString(4));
            row.put("effective_date", rs.getDate(5).toLocalDate().toString());
            row.put("created_at", rs.getLong(6));
            rows.add(row);
        }, accountId, limit, offset);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactions", rows);
        out.put("total", sum("select count(*) from ledger_txn where account_id = ?", accountId));
        out.put("limit", limit);
        out.put("offset", offset);
        return out;
    }

    /**
     * A creator's developer balance. Payouts sent to Stripe but not yet answered ({@code pending}) are
     * no longer in the balance and not yet paid out: they count as pending payout, so
     * earned = balance + paid out + in flight, and pending payout = balance + in flight.
     */
    public Map<String, Object> earnings(String accountId) {
        requireAccount(accountId);
        long balance = sum("select coalesce(sum(amount_cents), 0) from ledger_entry where ledger_account = ?",
                LedgerAccounts.creatorPayable(accountId));
        long earned = sum("select coalesce(sum(amount_cents), 0) from ledger_txn where account_id = ? and type = 'earning'", accountId);
        long inFlight = sum("select coalesce(sum(amount_cents), 0) from payout where creator_account_id = ? and status = 'pending'",
                accountId);
        long paidOut = -sum("select coalesce(sum(amount_cents), 0) from ledger_txn where account_id = ? and type = 'payout'", accountId)
                - inFlight;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("balance_cents", balance);
        out.put("lifetime_earned_cents", earned);
        out.put("lifetime_paid_out_cents", paidOut);
        out.put("pending_payout_cents", balance + inFlight);
        return out;
    }

    private long sum(String sql, Object... args) {
        Long value = jdbc.queryForObject(sql, Long.class, args);
        return value == null ? 0 : value;
    }
}
