package tally.invoicing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tally.plans.Invoice;
import tally.plans.MonthlyUsage;
import tally.plans.PackagePurchase;

import java.sql.Date;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The month-close inputs read from the database, for every account at once or for one
 * ({@code accountId} null = all): monthly usage per account summed over its projects, package
 * purchases, and wallet usage from the ledger. Rulings in docs/month-close.md.
 */
@Repository
public class UsageAggregation {

    private final JdbcTemplate jdbc;

    public UsageAggregation(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counters: successful events of the month (usage_date, UTC), kept per (account, usage day) by
     * rating ({@link UsageCounters}). ai_tokens: input + output tokens of successful bot messages
     * and agent runs not on BYOK keys. Storage: the peak over the month of
     * the account's total, where the total at any instant is the sum of each project's latest
     * snapshot (a snapshot replaces its project's previous one; the month starts from the state
     * its last earlier snapshots left).
     */
    public Map<String, MonthlyUsage> monthly(YearMonth month, String accountId) {
        Date from = Date.valueOf(month.atDay(1));
        Date to = Date.valueOf(month.plusMonths(1).atDay(1));
        Map<String, long[]> counts = new HashMap<>();
        jdbc.query("""
                select account_id, sum(api_requests), sum(ai_tokens), sum(gateway_requests), sum(mcp_proxy_calls),
                       sum(logic_engine_calls)
                from account_day_usage
                where usage_date >= ? and usage_date < ? and (?::text is null or account_id = ?)
                group by account_id""", rs -> {
            counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), 0});
        }, from, to, accountId, accountId);
        OffsetDateTime start = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        jdbc.query("""
                with snapshots as (
                    select account_id, occurred_at,
                        quantity_bytes - coalesce(lag(quantity_bytes) over (
                            partition by account_id, project_id order by occurred_at, event_id), 0) as delta
                    from storage_snapshot
                    where occurred_at < ? and (?::text is null or account_id = ?)),
                totals as (
                    select account_id, occurred_at, sum(delta) over (partition by account_id order by occurred_at) as total
                    from snapshots)
                select account_id, greatest(
                    coalesce(max(total) filter (where occurred_at >= ?), 0),
                    coalesce((array_agg(total order by occurred_at desc) filter (where occurred_at < ?))[1], 0))
                from totals group by account_id""", rs -> {
            counts.computeIfAbsent(rs.getString(1), k -> new long[6])[5] = rs.getLong(2);
        }, end, accountId, accountId, start, start);
        Map<String, MonthlyUsage> usage = new HashMap<>();
        counts.forEach((account, c) -> usage.put(account, new MonthlyUsage(c[0], c[1], c[2], c[3], c[4], c[5])));
        return usage;
    }

    public Map<String, List<PackagePurchase>> purchases(String accountId) {
        Map<String, List<PackagePurchase>> byAccount = new HashMap<>();
        jdbc.query("""
                select account_id, package, purchased_at, ends_at from package_purchase
                where ?::text is null or account_id = ?""", rs -> {
            byAccount.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new PackagePurchase(rs.getString(1),
                    rs.getString(2), rs.getDate(3).toLocalDate(), rs.getDate(4) == null ? null : rs.getDate(4).toLocalDate()));
        }, accountId, accountId);
        return byAccount;
    }

    /** Per account: what its wallet was charged for the month's usage (debits and refunds) and what went uncollected. */
    public Map<String, Invoice.WalletUsage> walletUsage(YearMonth month) {
        Map<String, Invoice.WalletUsage> byAccount = new HashMap<>();
        jdbc.query("""
                select account_id, coalesce(sum(charge_cents), 0), coalesce(sum(uncollected_cents), 0) from ledger_txn
                where type in ('debit', 'refund') and usage_month = ? group by account_id""", rs -> {
            byAccount.put(rs.getString(1), new Invoice.WalletUsage(rs.getLong(2), rs.getLong(3)));
        }, Date.valueOf(month.atDay(1)));
        return byAccount;
    }
}
