package tally.rerun;


import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import tally.infra.BadInputException;
import tally.infra.CursorReads;
import tally.infra.PgCopy;
import tally.rating.BotSpend;
import tally.rating.RatedEvent;
import tally.rating.RatedEventReader;
import tally.rating.RatedSegments;
import tally.rating.RatedSegmentWriter;
import tally.rating.Rater;
import tally.rating.RatingOutcome;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import javax.sql.DataSource;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-rates every event whose usage day is in the period with the rules as they now stand, in the
 * rated segments that hold them ({@code usage_segment}, rewritten where anything changed), and keeps
 * what the rest of Tally reads of them in step: each (wallet, resource, usage day, arrival day)
 * group's exact charge ({@code usage_group_rerated}), bot spend, and the analytics parts' costs.
 * A capped bot's events are replayed in the order the nightly runs rated them (arrival day,
 * occurred_at, event_id) after what it was charged outside the period, at its stored charges
 * ({@code bot_spend}), so cap state is what it was. Runs inside the caller's transaction.
 */
@Component
public class Rerating {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public Rerating(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    public record RerateResult(long rerated, long changed) {
    }

    /** A capped bot event's new rating, by its place in its segment. */
    private record CappedRating(long costUcents, long chargeUcents, boolean capped) {
    }

    public RerateResult rerate(String runId, LocalDate from, LocalDate to, RatingRules rules, ReferenceData reference) {
        List<RatedSegments.Key> segments = RatedSegments.overlapping(jdbc, from, to);
        Rater rater = new Rater(rules, reference);
        List<String> unrateable = new ArrayList<>();
        Period period = new Period(from, to);
        collectCapped(segments, period, reference);
        replayCapped(period, rater, reference, unrateable);
        long[] counts = new long[2]; // rerated, changed
        int b = 0;
        while (b < segments.size()) {
            int end = b;
            while (end < segments.size() && sameBucket(segments.get(end), segments.get(b))) {
                end++;
            }
            rerateBucket(runId, segments.subList(b, end), period, rater, rules, reference, unrateable, counts);
            b = end;
        }
        if (!unrateable.isEmpty()) {
            throw new BadInputException("the rules in force cannot rate every event of " + from + ".." + to
                    + " (fix rating-rules and rerun; nothing was posted): " + String.join("; ", unrateable));
        }
        return new RerateResult(counts[0], counts[1]);
    }

    private static boolean sameBucket(RatedSegments.Key a, RatedSegments.Key b) {
        return a.arrivalDate().equals(b.arrivalDate()) && a.bucket() == b.bucket();
    }

    private record Period(LocalDate from, LocalDate to) {
        boolean holds(int usageEpochDay) {
            return usageEpochDay >= from.toEpochDay() && usageEpochDay <= to.toEpochDay();
        }
    }

    private static boolean cappedBot(RatedEvent e, ReferenceData reference) {
        if (!UsageKind.BOT_MESSAGE.code().equals(e.kind())) {
            return false;
        }
        Bot bot = reference.bots().get(e.resourceId());
        return bot != null && bot.hasCaps();
    }

    /** The period's events of capped bots, with their place in their segment, for sorting by bot in the database. */
    private void collectCapped(List<RatedSegments.Key> segments, Period period, ReferenceData reference) {
        jdbc.execute("""
                create temporary table rerate_capped (arrival_date date, bucket integer, seq integer, row_no integer,
                    bot_id text, occurred_micros bigint, event_id text, conversation_id text, account_id text,
                    billing_mode text, status text, tokens_input bigint, tokens_output bigint, provider text, model text,
                    quantity bigint) on commit drop""");
        jdbc.execute("""
                create temporary table rerated_capped (arrival_date date, bucket integer, seq integer, row_no integer,
                    cost_ucents bigint, charge_ucents bigint, capped boolean,
                    primary key (arrival_date, bucket, seq, row_no)) on commit drop""");
        try (PgCopy copy = new PgCopy(dataSource, "rerate_capped", List.of("arrival_date", "bucket", "seq", "row_no",
                "bot_id", "occurred_micros", "event_id", "conversation_id", "account_id", "billing_mode", "status",
                "tokens_input", "tokens_output", "provider", "model", "quantity"))) {
            for (RatedSegments.Key key : segments) {
                int[] row = {0};
                RatedEventReader.forEach(RatedSegments.data(jdbc, key), e -> {
                    if (period.holds(e.usageEpochDay()) && cappedBot(e, reference)) {
                        copy.row(key.arrivalDate(), key.bucket(), key.seq(), row[0], e.resourceId(), e.occurredAtMicros(),
                                e.eventId(), e.conversationId(), e.accountId(), e.billingMode(), e.status(),
                                e.tokensInput(), e.tokensOutput(), e.provider(), e.model(), e.quantity());
                    }
                    row[0]++;
                });
            }
        }
    }

    /**
     * Each capped bot's period events in nightly order, after its spend outside the period: within an
     * arrival day, spend on usage days before the period came first (earlier occurred_at) and spend
     * on days after it last. One bot's state in memory at a time.
     */
    private void replayCapped(Period period, Rater rater, ReferenceData reference, List<String> unrateable) {
        JdbcTemplate streaming = CursorReads.template(dataSource);
        Replay replay = new Replay(period, reference);
        try (PgCopy copy = new PgCopy(dataSource, "rerated_capped", List.of("arrival_date", "bucket", "seq", "row_no",
                "cost_ucents", "charge_ucents", "capped"))) {
            streaming.query("""
                    select * from rerate_capped
                    order by bot_id collate "C", arrival_date, occurred_micros, event_id collate "C\"""",
                    (RowCallbackHandler) rs -> {
                        LocalDate arrival = rs.getDate("arrival_date").toLocalDate();
                        long micros = rs.getLong("occurred_micros");
                        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                        UsageEvent e = new UsageEvent(null, 0, rs.getString("event_id"), at, UsageKind.BOT_MESSAGE,
                                rs.getString("account_id"), null, rs.getString("bot_id"), rs.getString("conversation_id"),
                                null, null, rs.getString("provider"), rs.getString("model"), rs.getString("billing_mode"),
                                rs.getLong("tokens_input"), rs.getLong("tokens_output"), null, null,
                                "success".equals(rs.getString("status")), rs.getLong("quantity"));
                        BotSpend spend = replay.before(e.resourceId(), arrival);
                        RatingOutcome outcome = rater.rate(e, bot -> spend);
                        if (outcome instanceof RatingOutcome.Rated r) {
                            copy.row(arrival, rs.getInt("bucket"), rs.getInt("seq"), rs.getInt("row_no"), r.costUcents(),
                                    r.chargeUcents(), r.capped());
                        } else {
                            unrateableEvent(unrateable, e.eventId(), (RatingOutcome.Rejected) outcome);
                        }
                    });
        }
    }

    /** The spend of the bot being replayed, brought up to an arrival day's period events. */
    private final class Replay {
        private final Period period;
        private final ReferenceData reference;
        private String botId;
        private BotSpend spend;
        private final List<Object[]> history = new ArrayList<>(); // {arrival day, usage day, conversation, ucents}
        private int next;

        Replay(Period period, ReferenceData reference) {
            this.period = period;
            this.reference = reference;
        }

        BotSpend before(String bot, LocalDate arrival) {
            if (!bot.equals(botId)) {
                botId = bot;
                spend = new BotSpend(reference.bots().get(bot));
                history.clear();
                next = 0;
                jdbc.query("""
                        select arrival_date, usage_date, conversation_id, sum(charge_ucents) from bot_spend
                        where bot_id = ? and (usage_date < ? or usage_date > ?) group by 1, 2, 3 order by 1, 2""", rs -> {
                    history.add(new Object[] {rs.getDate(1).toLocalDate(), rs.getDate(2).toLocalDate(), rs.getString(3),
                            rs.getLong(4)});
                }, bot, Date.valueOf(period.from()), Date.valueOf(period.to()));
            }
            while (next < history.size()) {
                Object[] h = history.get(next);
                LocalDate spentArrival = (LocalDate) h[0];
                LocalDate spentUsage = (LocalDate) h[1];
                boolean earlier = spentArrival.isBefore(arrival) || (spentArrival.equals(arrival) && spentUsage.isBefore(period.from()));
                if (!earlier) {
                    break;
                }
                spend.addHistory((String) h[2], spentUsage, (Long) h[3]);
                next++;
            }
            return spend;
        }
    }

    private static void unrateableEvent(List<String> unrateable, String eventId, RatingOutcome.Rejected rejected) {
        if (unrateable.size() < 5) {
            unrateable.add(eventId + ": " + rejected.reason() + " (" + rejected.detail() + ")");
        }
    }

    /** The new ratings of a segment's capped events, by row. */
    private Map<Integer, CappedRating> cappedRatings(RatedSegments.Key key) {
        Map<Integer, CappedRating> ratings = new HashMap<>();
        jdbc.query("select row_no, cost_ucents, charge_ucents, capped from rerated_capped where arrival_date = ? and bucket = ? and seq = ?",
                rs -> {
                    ratings.put(rs.getInt(1), new CappedRating(rs.getLong(2), rs.getLong(3), rs.getBoolean(4)));
                }, Date.valueOf(key.arrivalDate()), key.bucket(), key.seq());
        return ratings;
    }

    private record GroupKey(String payerAccountId, String resourceId, String kind, int usageEpochDay) {
    }

    private record BotDay(String botId, String accountId, String conversationId, int usageEpochDay) {
    }

    private record PartKey(String resourceId, int usageEpochDay) {
    }

    /** Re-rates one bucket's segments of one arrival day and keeps everything derived from them in step. */
    private void rerateBucket(String runId, List<RatedSegments.Key> bucketSegments, Period period, Rater rater, RatingRules rules,
                              ReferenceData reference, List<String> unrateable, long[] counts) {
        LocalDate arrival = bucketSegments.get(0).arrivalDate();
        Map<GroupKey, Long> groups = new HashMap<>();
        Map<BotDay, Long> botSpend = new HashMap<>();
        Set<String> botsInPeriod = new HashSet<>();
        Map<PartKey, Long> botCosts = new HashMap<>();
        Map<PartKey, Long> agentCosts = new HashMap<>();
        for (RatedSegments.Key key : bucketSegments) {
            Map<Integer, CappedRating> capped = cappedRatings(key);
            List<RatedEvent> rows = new ArrayList<>();
            boolean[] changed = {false};
            int[] row = {0};
            RatedEventReader.forEach(RatedSegments.data(jdbc, key), e -> {
                int rowNo = row[0]++;
                if (!period.holds(e.usageEpochDay())) {
                    rows.add(e);
                    return;
                }
                long cost;
                long charge;
                boolean wasCapped;
                CappedRating c = capped.get(rowNo);
                if (c != null) {
                    cost = c.costUcents();
                    charge = c.chargeUcents();
                    wasCapped = c.capped();
                } else if (cappedBot(e, reference)) {
                    rows.add(e); // unrateable: reported by the replay
                    return;
                } else {
                    RatingOutcome outcome = rater.rate(asEvent(e), bot -> {
                        throw new IllegalStateException("bot " + bot.botId() + " has no caps");
                    });
                    if (!(outcome instanceof RatingOutcome.Rated r)) {
                        unrateableEvent(unrateable, e.eventId(), (RatingOutcome.Rejected) outcome);
                        rows.add(e);
                        return;
                    }
                    cost = r.costUcents();
                    charge = r.chargeUcents();
                    wasCapped = r.capped();
                }
                counts[0]++;
                if (cost != e.costUcents() || charge != e.chargeUcents() || wasCapped != e.capped()) {
                    counts[1]++;
                    changed[0] = true;
                }
                RatedEvent rerated = e.rerated(cost, charge, wasCapped, rules.version());
                rows.add(rerated);
                keepDerived(rerated, groups, botSpend, botsInPeriod, botCosts, agentCosts);
            });
            if (changed[0]) {
                RatedSegmentWriter writer = new RatedSegmentWriter();
                rows.forEach(writer::add);
                jdbc.update("update usage_segment set data = ?, written_at = clock_timestamp() where arrival_date = ? and bucket = ? and seq = ?",
                        writer.finish(), Date.valueOf(key.arrivalDate()), key.bucket(), key.seq());
            }
        }
        writeDerived(runId, arrival, period, groups, botSpend, botsInPeriod, botCosts, agentCosts);
    }

    private static void keepDerived(RatedEvent e, Map<GroupKey, Long> groups, Map<BotDay, Long> botSpend,
                                    Set<String> botsInPeriod, Map<PartKey, Long> botCosts, Map<PartKey, Long> agentCosts) {
        UsageKind kind = UsageKind.ofCode(e.kind());
        if (kind.hasResource()) {
            groups.merge(new GroupKey(e.payerAccountId(), e.resourceId(), e.kind(), e.usageEpochDay()), e.chargeUcents(), Math::addExact);
        }
        PartKey part = new PartKey(e.resourceId(), e.usageEpochDay());
        if (kind == UsageKind.BOT_MESSAGE) {
            botsInPeriod.add(e.resourceId());
            if (e.chargeUcents() > 0) {
                botSpend.merge(new BotDay(e.resourceId(), e.accountId(), e.conversationId(), e.usageEpochDay()),
                        e.chargeUcents(), Math::addExact);
            }
            botCosts.merge(part, e.costUcents(), Math::addExact);
        } else if (kind == UsageKind.AGENT_RUN) {
            agentCosts.merge(part, e.costUcents(), Math::addExact);
        }
    }

    private void writeDerived(String runId, LocalDate arrival, Period period, Map<GroupKey, Long> groups,
                              Map<BotDay, Long> botSpend, Set<String> botsInPeriod, Map<PartKey, Long> botCosts,
                              Map<PartKey, Long> agentCosts) {
        Date day = Date.valueOf(arrival);
        List<Object[]> groupRows = new ArrayList<>();
        groups.forEach((k, ucents) -> groupRows.add(new Object[] {k.payerAccountId(), k.resourceId(),
                Date.valueOf(LocalDate.ofEpochDay(k.usageEpochDay())), day, k.kind(), ucents, runId}));
        jdbc.batchUpdate("""
                insert into usage_group_rerated (payer_account_id, resource_id, usage_date, arrival_date, kind, exact_ucents, run_id)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (payer_account_id, resource_id, usage_date, arrival_date)
                do update set exact_ucents = excluded.exact_ucents, kind = excluded.kind, run_id = excluded.run_id""", groupRows);
        if (!botsInPeriod.isEmpty()) {
            jdbc.update("delete from bot_spend where arrival_date = ? and bot_id = any(?) and usage_date between ? and ?",
                    day, new SqlArrayValue("text", botsInPeriod.toArray()), Date.valueOf(period.from()), Date.valueOf(period.to()));
            List<Object[]> spendRows = new ArrayList<>();
            botSpend.forEach((k, ucents) -> spendRows.add(new Object[] {k.botId(), day,
                    Date.valueOf(LocalDate.ofEpochDay(k.usageEpochDay())), k.conversationId(), k.accountId(), ucents}));
            jdbc.batchUpdate("""
                    insert into bot_spend (bot_id, arrival_date, usage_date, conversation_id, account_id, charge_ucents)
                    values (?, ?, ?, ?, ?, ?)""", spendRows);
        }
        updateCosts("bot_day_part", "bot_id", day, botCosts);
        updateCosts("agent_day_part", "endpoint_id", day, agentCosts);
    }

    private void updateCosts(String table, String resourceColumn, Date arrival, Map<PartKey, Long> costs) {
        if (costs.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        costs.forEach((k, ucents) -> rows.add(new Object[] {ucents, k.resourceId(),
                Date.valueOf(LocalDate.ofEpochDay(k.usageEpochDay())), arrival}));
        jdbc.batchUpdate("update " + table + " set cost_ucents = ? where " + resourceColumn
                + " = ? and usage_date = ? and arrival_date = ?", rows);
    }

    /** The event a rated row was rated from, as far as rating needs it. */
    static UsageEvent asEvent(RatedEvent e) {
        return new UsageEvent(null, 0, e.eventId(), e.occurredAt(), UsageKind.ofCode(e.kind()), e.accountId(), null,
                e.resourceId(), e.conversationId(), null, null, e.provider(), e.model(), e.billingMode(), e.tokensInput(),
                e.tokensOutput(), null, null, "success".equals(e.status()), e.quantity());
    }
}
