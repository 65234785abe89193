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
 * for every (resource, usage day) that a run touched from the parts every arrival day wrote for it
 * ({@link DayParts}) and from the ledger, so a late event updates its own day. Cents are rounded
 * by {@link Money}, never by SQL.
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

    /** The parts of the touched pair {@code k}: table, its resource column, the alias to give it. */
    private static final String PAIR_PARTS = "%1$s %3$s where %3$s.%2$s = k.resource_id and %3$s.usage_date = k.usage_date";

    /** Every latency of the touched pair {@code k}, over its parts, as {@code l}. */
    private static final String PAIR_LATENCIES = """
            agent_day_part q cross join unnest(q.latencies_ms) l
            where q.endpoint_id = k.resource_id and q.usage_date = k.usage_date""";

    /**
     * Distinct values of an array column over the pair's parts: a pair with one part stores them
     * distinct already (most pairs: a day's events arrive on one day).
     */
    private static final String DISTINCT = """
            case when count(*) = 1 then max(cardinality(p.%3$s))
                 else (select count(distinct v) from %1$s q cross join unnest(q.%3$s) v
                       where q.%2$s = k.resource_id and q.usage_date = k.usage_date) end""";

    private final JdbcTemplate jdbc;

    public DailyRollups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record RollupResult(int botDays, int agentDays, int toolDays) {
    }

    /** Every (resource, day) with events that arrived on the day (a nightly run). */
    public RollupResult recompute(LocalDate arrivalDay) {
        return recompute("arrival_date = ?", Date.valueOf(arrivalDay));
    }

    /** Every (resource, day) with usage in the period (a rerun). */
    public RollupResult recomputeUsageDays(LocalDate from, LocalDate to) {
        return recompute("usage_date between ? and ?", Date.valueOf(from), Date.valueOf(to));
    }

    /** {@code touched}: the condition on a parts table selecting the pairs, with its arguments. */
    private RollupResult recompute(String touched, Object... periodArgs) {
        List<Object[]> bots = new ArrayList<>();
        jdbc.query("""
                with k as materialized (select distinct bot_id as resource_id, usage_date from bot_day_part where %1$s)
                select k.resource_id, k.usage_date, a.*, %2$s from k cross join lateral (
                    select min(p.account_id), sum(p.messages_received), sum(p.messages_sent), sum(p.tokens_input),
                           sum(p.tokens_output), sum(p.cost_ucents), %3$s, %4$s
                    from %5$s) a""".formatted(touched, CHARGED_CENTS,
                DISTINCT.formatted("bot_day_part", "bot_id", "end_user_ids"),
                DISTINCT.formatted("bot_day_part", "bot_id", "conversation_ids"),
                PAIR_PARTS.formatted("bot_day_part", "bot_id", "p")), rs -> {
            long costUcents = rs.getLong(8);
            bots.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(11), rs.getLong(9), rs.getLong(10)});
        }, periodArgs);
        replace("bot_daily", "bot_id", bots, """
                insert into bot_daily (bot_id, usage_date, account_id, messages_received, messages_sent, tokens_input,
                    tokens_output, cost_ucents, total_cost_cents, total_charged_cents, unique_users, conversations)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");

        List<Object[]> agents = new ArrayList<>();
        jdbc.query("""
                with k as materialized (select distinct endpoint_id as resource_id, usage_date from agent_day_part where %1$s)
                select k.resource_id, k.usage_date, a.*, %2$s from k cross join lateral (
                    select min(p.account_id), sum(p.runs), sum(p.successes), sum(p.failures), sum(p.tokens_input),
                           sum(p.tokens_output), sum(p.cost_ucents),
                           (select percentile_disc(0.5) within group (order by l) from %3$s),
                           (select percentile_disc(0.95) within group (order by l) from %3$s),
                           max(p.latencies_ms[cardinality(p.latencies_ms)]),
                           round(sum(p.iterations_total)::numeric / nullif(sum(p.iterations_count), 0), 3)
                    from %4$s) a""".formatted(touched, CHARGED_CENTS, PAIR_LATENCIES,
                PAIR_PARTS.formatted("agent_day_part", "endpoint_id", "p")), rs -> {
            long costUcents = rs.getLong(9);
            agents.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), costUcents, Money.roundToCents(costUcents),
                    rs.getLong(14), rs.getObject(10), rs.getObject(11), rs.getObject(12), rs.getBigDecimal(13)});
        }, periodArgs);
        replace("agent_daily", "endpoint_id", agents, """
                insert into agent_daily (endpoint_id, usage_date, account_id, runs, successes, failures, tokens_input,
                    tokens_output, cost_ucents, cost_cents, charged_cents, latency_ms_p50, latency_ms_p95, latency_ms_max,
                    iterations_mean)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");

        List<Object[]> tools = new ArrayList<>();
        // A tool-day's charged, collected and earned cents in one range of the ledger's (resource, day)
        // index: a tool-day has a debit per paying wallet (a 10M-event night: ~3,800 each).
        jdbc.query("""
                with k as materialized (select distinct tool_id as resource_id, usage_date from tool_day_part where %1$s)
                select k.resource_id, k.usage_date, (select sum(q.calls) from %2$s), l.charged, l.collected, l.earned,
                       (select t.creator_account_id from tool t where t.tool_id = k.resource_id)
                from k cross join lateral (
                    select coalesce(sum(t.charge_cents) filter (where t.type in ('debit', 'refund')), 0) as charged,
                           coalesce(sum(t.collected_cents) filter (where t.type = 'debit'), 0) as collected,
                           coalesce(sum(t.amount_cents) filter (where t.type = 'earning'), 0) as earned
                    from ledger_txn t where t.resource_id = k.resource_id and t.effective_date = k.usage_date) l"""
                .formatted(touched, PAIR_PARTS.formatted("tool_day_part", "tool_id", "q")), rs -> {
            long collected = rs.getLong(5);
            long net = rs.getLong(6);
            tools.add(new Object[] {rs.getString(1), rs.getDate(2), rs.getString(7), rs.getLong(3),
                    rs.getLong(4), collected - net, net});
        }, periodArgs);
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
}
