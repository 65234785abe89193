package tally.analytics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.money.Money;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Daily analytics per bot, agent endpoint and marketplace tool (RULES.md, Analytics), recomputed
 * from {@code usage_event} and the ledger for every (resource, usage day) that a run touched, so a
 * late event updates its own day. Cents are rounded by {@link Money}, never by SQL.
 *
 * <p>Cost is the day's exact computed cost (failed, BYOK and capped-off events included) rounded
 * half-even. What was charged is read from the ledger, not re-rounded: the sum of the usage
 * debits' (and refunds') {@code charge_cents} posted for that resource and usage day, so it agrees
 * with the wallets' transaction history, carried rounding and uncollected parts included.
 */
@Component
public class DailyRollups {

    /** What the ledger charged for the row's (resource_id, usage_date): collected and uncollected. */
    private static final String CHARGED_CENTS = """
            (select coalesce(sum(t.charge_cents), 0) from ledger_txn t
              where t.type in ('debit', 'refund') and t.resource_id = e.resource_id and t.effective_date = e.usage_date)""";

    private final JdbcTemplate jdbc;

    public DailyRollups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record RollupResult(int botDays, int agentDays, int toolDays) {
    }

    /** Every (resource, day) with events that arrived on the day (a nightly run). */
    public RollupResult recompute(LocalDate arrivalDay) {
        return recompute("(select distinct resource_id, usage_date from usage_event where arrival_date = ? and kind = ?)",
                Date.valueOf(arrivalDay));
    }

    /** Every (resource, day) with usage in the period (a rerun). */
    public RollupResult recomputeUsageDays(LocalDate from, LocalDate to) {
        return recompute("(select distinct resource_id, usage_date from usage_event where usage_date between ? and ? and kind = ?)",
                Date.valueOf(from), Date.valueOf(to));
    }

    /** {@code touched} selects (resource_id, usage_date) pairs from its {@code periodArgs} and a kind. */
    private RollupResult recompute(String touched, Object... periodArgs) {
        jdbc.update("delete from bot_daily where (bot_id, usage_date) in " + touched, args(periodArgs, "bot_message"));
        jdbc.update("delete from agent_daily where (endpoint_id, usage_date) in " + touched, args(periodArgs, "agent_run"));
        jdbc.update("delete from tool_daily where (tool_id, usage_date) in " + touched, args(periodArgs, "tool_call"));

        List<Object[]> bots = new ArrayList<>();
        jdbc.query("""
                select e.resource_id, e.usage_date, min(e.account_id), count(*),
                       count(*) filter (where e.status = 'success'), sum(e.tokens_input), sum(e.tokens_output),
                       sum(e.cost_ucents), %s, count(distinct e.end_user_id), count(distinct e.conversation_id)
                from usage_event e
                where e.kind = 'bot_message' and (e.resource_id, e.usage_date) in %s
                group by 1, 2""".formatted(CHARGED_CENTS, touched), rs -> {
            long costUcents = rs.getLong(8);
            bots.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(9), rs.getLong(10), rs.getLong(11)});
        }, args(periodArgs, "bot_message"));
        jdbc.batchUpdate("""
                insert into bot_daily (bot_id, usage_date, account_id, messages_received, messages_sent, tokens_input,
                    tokens_output, cost_ucents, total_cost_cents, total_charged_cents, unique_users, conversations)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", bots);

        List<Object[]> agents = new ArrayList<>();
        jdbc.query("""
                select e.resource_id, e.usage_date, min(e.account_id), count(*),
                       count(*) filter (where e.status = 'success'), count(*) filter (where e.status = 'failed'),
                       sum(e.tokens_input), sum(e.tokens_output), sum(e.cost_ucents), %s,
                       percentile_disc(0.5) within group (order by e.latency_ms),
                       percentile_disc(0.95) within group (order by e.latency_ms), max(e.latency_ms),
                       round(avg(e.iterations), 3)
                from usage_event e
                where e.kind = 'agent_run' and (e.resource_id, e.usage_date) in %s
                group by 1, 2""".formatted(CHARGED_CENTS, touched), rs -> {
            long costUcents = rs.getLong(9);
            agents.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(10), rs.getObject(11), rs.getObject(12), rs.getObject(13), rs.getBigDecimal(14)});
        }, args(periodArgs, "agent_run"));
        jdbc.batchUpdate("""
                insert into agent_daily (endpoint_id, usage_date, account_id, runs, successes, failures, tokens_input,
                    tokens_output, cost_ucents, cost_cents, charged_cents, latency_ms_p50, latency_ms_p95, latency_ms_max,
                    iterations_mean)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", agents);

        List<Object[]> tools = new ArrayList<>();
        jdbc.query("""
                select e.resource_id, e.usage_date, count(*), %s,
                       (select coalesce(sum(d.collected_cents), 0) from ledger_txn d
                         where d.type = 'debit' and d.resource_id = e.resource_id and d.effective_date = e.usage_date),
                       (select coalesce(sum(n.amount_cents), 0) from ledger_txn n
                         where n.type = 'earning' and n.resource_id = e.resource_id and n.effective_date = e.usage_date),
                       (select t.creator_account_id from tool t where t.tool_id = e.resource_id)
                from usage_event e
                where e.kind = 'tool_call' and (e.resource_id, e.usage_date) in %s
                group by 1, 2""".formatted(CHARGED_CENTS, touched), rs -> {
            long collected = rs.getLong(5);
            long net = rs.getLong(6);
            tools.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(7), rs.getLong(3),
                    rs.getLong(4), collected - net, net});
        }, args(periodArgs, "tool_call"));
        jdbc.batchUpdate("""
                insert into tool_daily (tool_id, usage_date, creator_account_id, calls, gross_cents, fee_cents, creator_net_cents)
                values (?, ?, ?, ?, ?, ?, ?)""", tools);
        return new RollupResult(bots.size(), agents.size(), tools.size());
    }

    private static Object[] args(Object[] periodArgs, String kind) {
        Object[] all = java.util.Arrays.copyOf(periodArgs, periodArgs.length + 1);
        all[periodArgs.length] = kind;
        return all;
    }
}
