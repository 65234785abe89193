package tally.analytics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
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

    /** What the ledger charged for the touched pair {@code k}: collected and uncollected. */
    private static final String CHARGED_CENTS = """
            (select coalesce(sum(t.charge_cents), 0) from ledger_txn t
              where t.type in ('debit', 'refund') and t.resource_id = k.resource_id and t.effective_date = k.usage_date)""";

    /**
     * The events of the touched pair {@code k}: found by the pair's index on each day's table, and
     * only on the days they can have arrived (no event is accepted more than a day before its usage
     * day), which PostgreSQL prunes per pair while it runs. As a join of the touched pairs with
     * usage_event it was planned as a scan of every day's table: a night's roll-up grew with the
     * whole history (docs/performance.md).
     */
    private static final String PAIR_EVENTS = """
            usage_event e where e.kind = '%s' and e.resource_id = k.resource_id and e.usage_date = k.usage_date
              and e.arrival_date >= k.usage_date - 1""";

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
        List<Object[]> bots = new ArrayList<>();
        jdbc.query("""
                with k as materialized %s
                select k.resource_id, k.usage_date, a.*, %s from k cross join lateral (
                    select min(e.account_id), count(*), count(*) filter (where e.status = 'success'),
                           sum(e.tokens_input), sum(e.tokens_output), sum(e.cost_ucents),
                           count(distinct e.end_user_id), count(distinct e.conversation_id)
                    from %s) a""".formatted(touched, CHARGED_CENTS, PAIR_EVENTS.formatted("bot_message")), rs -> {
            long costUcents = rs.getLong(8);
            bots.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(11), rs.getLong(9), rs.getLong(10)});
        }, args(periodArgs, "bot_message"));
        replace("bot_daily", "bot_id", bots, """
                insert into bot_daily (bot_id, usage_date, account_id, messages_received, messages_sent, tokens_input,
                    tokens_output, cost_ucents, total_cost_cents, total_charged_cents, unique_users, conversations)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");

        List<Object[]> agents = new ArrayList<>();
        jdbc.query("""
                with k as materialized %s
                select k.resource_id, k.usage_date, a.*, %s from k cross join lateral (
                    select min(e.account_id), count(*), count(*) filter (where e.status = 'success'),
                           count(*) filter (where e.status = 'failed'), sum(e.tokens_input), sum(e.tokens_output),
                           sum(e.cost_ucents),
                           percentile_disc(0.5) within group (order by e.latency_ms),
                           percentile_disc(0.95) within group (order by e.latency_ms), max(e.latency_ms),
                           round(avg(e.iterations), 3)
                    from %s) a""".formatted(touched, CHARGED_CENTS, PAIR_EVENTS.formatted("agent_run")), rs -> {
            long costUcents = rs.getLong(9);
            agents.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(14), rs.getObject(10), rs.getObject(11), rs.getObject(12), rs.getBigDecimal(13)});
        }, args(periodArgs, "agent_run"));
        replace("agent_daily", "endpoint_id", agents, """
                insert into agent_daily (endpoint_id, usage_date, account_id, runs, successes, failures, tokens_input,
                    tokens_output, cost_ucents, cost_cents, charged_cents, latency_ms_p50, latency_ms_p95, latency_ms_max,
                    iterations_mean)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");

        List<Object[]> tools = new ArrayList<>();
        jdbc.query("""
                with k as materialized %s
                select k.resource_id, k.usage_date, (select count(*) from %s), %s,
                       (select coalesce(sum(d.collected_cents), 0) from ledger_txn d
                         where d.type = 'debit' and d.resource_id = k.resource_id and d.effective_date = k.usage_date),
                       (select coalesce(sum(n.amount_cents), 0) from ledger_txn n
                         where n.type = 'earning' and n.resource_id = k.resource_id and n.effective_date = k.usage_date),
                       (select t.creator_account_id from tool t where t.tool_id = k.resource_id)
                from k""".formatted(touched, PAIR_EVENTS.formatted("tool_call"), CHARGED_CENTS), rs -> {
            long collected = rs.getLong(5);
            long net = rs.getLong(6);
            tools.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(7), rs.getLong(3),
                    rs.getLong(4), collected - net, net});
        }, args(periodArgs, "tool_call"));
        replace("tool_daily", "tool_id", tools, """
                insert into tool_daily (tool_id, usage_date, creator_account_id, calls, gross_cents, fee_cents, creator_net_cents)
                values (?, ?, ?, ?, ?, ?, ?)""");
        return new RollupResult(bots.size(), agents.size(), tools.size());
    }

    /**
     * Replaces the rows of these (resource, usage day) keys (each row's first two values): deletes
     * them by primary key, then inserts. A delete of "the keys in the touched pairs" subquery was
     * planned as a scan of the whole table, which grows by a day's rows every night.
     */
    private void replace(String table, String resourceColumn, List<Object[]> rows, String insertSql) {
        jdbc.update("""
                delete from %1$s r using unnest(?::text[], ?::date[]) as k(resource_id, usage_date)
                where r.%2$s = k.resource_id and r.usage_date = k.usage_date""".formatted(table, resourceColumn),
                new SqlArrayValue("text", rows.stream().map(row -> row[0]).toArray()),
                new SqlArrayValue("date", rows.stream().map(row -> row[1]).toArray()));
        jdbc.batchUpdate(insertSql, rows);
    }

    private static Object[] args(Object[] periodArgs, String kind) {
        Object[] all = java.util.Arrays.copyOf(periodArgs, periodArgs.length + 1);
        all[periodArgs.length] = kind;
        return all;
    }
}
