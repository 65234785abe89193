package tally.rating;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import tally.infra.DayPartitions;
import tally.infra.PgCopy;
import tally.ledger.PostingIds;
import tally.partition.AccountPartition;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.RejectStore;
import tally.usage.RowOutcome;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rates one arrival day's staged events: drops duplicates (by event_id, across files and earlier
 * days), rejects events that name unknown accounts, resources or prices, and stores the rest with
 * cost and charge in {@code usage_event} and the run's rated-events Parquet file, and each bot's
 * charges per (conversation, usage day) in {@code bot_spend}. Events stream
 * from PostgreSQL per resource in (occurred_at, event_id) order, so bot caps are applied in that
 * order and memory holds one bot's cap state at a time. Runs inside the caller's transaction.
 */
@Component
public class UsageRating {

    static final List<String> USAGE_COLUMNS = List.of("event_id", "arrival_date", "source_file", "source_row",
            "occurred_at", "usage_date", "kind", "account_id", "project_id", "resource_id", "conversation_id",
            "end_user_id", "platform", "provider", "model", "billing_mode", "tokens_input", "tokens_output",
            "iterations", "latency_ms", "status", "quantity", "payer_account_id", "cost_ucents", "charge_ucents",
            "capped", "posting_id", "rules_version");

    private static final int FETCH_SIZE = 10_000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public UsageRating(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    public record RatingResult(long rated, long rejected, long capped) {
    }

    /**
     * Rates the day's staged events of one account partition, replacing what an earlier attempt
     * of the same partition stored, into the day's own usage_event table (attached with its indexes
     * once every partition is rated, {@link DayPartitions}). Of an event_id staged more than once only
     * its first sighting is considered ({@code repeated_event}, filled by staging), so the result does
     * not depend on how the accounts are partitioned.
     */
    public RatingResult rate(LocalDate arrivalDay, Duration allowedLateness, RatingRules rules, ReferenceData reference,
                             Path ratedFile, AccountPartition partition) {
        String usageTable = DayPartitions.usageEvents(jdbc).table(arrivalDay);
        jdbc.update("delete from " + usageTable + " where " + partition.sql("account_id"));
        jdbc.update("delete from bot_spend where arrival_date = ? and " + partition.sql("account_id"), arrivalDay);
        jdbc.update("""
                delete from rejected_event r where r.arrival_date = ? and r.reason in %s
                and exists (select 1 from staged_event s where s.arrival_date = r.arrival_date
                            and s.source_file = r.source_file and s.source_row = r.source_row and %s)"""
                .formatted(Rater.REJECT_REASONS_SQL, partition.sql("s.account_id")), arrivalDay);
        Rater rater = new Rater(rules, reference);
        long[] counts = new long[4]; // rated, considered, rejected, capped
        List<RowOutcome.Rejected> rejects = new ArrayList<>();
        CapState caps = new CapState(jdbc, arrivalDay);
        try (PgCopy copy = new PgCopy(dataSource, usageTable, USAGE_COLUMNS);
             PgCopy spendCopy = new PgCopy(dataSource, "bot_spend", BotCharges.COLUMNS);
             RatedEventFile out = new RatedEventFile(ratedFile)) {
            BotCharges botCharges = new BotCharges(spendCopy, arrivalDay);
            JdbcTemplate streaming = new JdbcTemplate(dataSource);
            streaming.setFetchSize(FETCH_SIZE);
            streaming.query("""
                    select s.* from %s s
                    where %s
                    and not exists (select 1 from repeated_event r where r.arrival_date = s.arrival_date
                                    and r.event_id = s.event_id
                                    and (r.source_file, r.source_row) <> (s.source_file, s.source_row))
                    and %s
                    order by s.resource_id collate "C" nulls first, s.occurred_at, s.event_id collate "C" asc"""
                            .formatted(DayPartitions.stagedEvents(jdbc).table(arrivalDay), partition.sql("s.account_id"),
                                    notRatedEarlier("s", arrivalDay, allowedLateness)),
                    (RowCallbackHandler) rs -> {
                counts[1]++;
                UsageEvent event = toEvent(rs);
                RatingOutcome outcome = rater.rate(event, caps::spendOf);
                if (outcome instanceof RatingOutcome.Rejected r) {
                    rejects.add(new RowOutcome.Rejected(event.sourceFile(), event.sourceRow(), event.eventId(), r.reason(), r.detail()));
                    counts[2]++;
                    if (rejects.size() == 1000) {
                        RejectStore.insert(jdbc, arrivalDay, rejects);
                        rejects.clear();
                    }
                    return;
                }
                RatingOutcome.Rated rated = (RatingOutcome.Rated) outcome;
                String postingId = rated.chargeUcents() > 0
                        ? PostingIds.debit(rated.payerAccountId(), event.resourceId(), event.usageDate(), arrivalDay) : null;
                copy.row(event.eventId(), arrivalDay, event.sourceFile(), event.sourceRow(), event.occurredAt(),
                        event.usageDate(), event.kind().code(), event.accountId(), event.projectId(),
                        event.resourceId(), event.conversationId(), event.endUserId(), event.platform(), event.provider(),
                        event.model(), rated.billingMode(), event.tokensInput(), event.tokensOutput(), event.iterations(),
                        event.latencyMs(), event.statusCode(), event.quantity(), rated.payerAccountId(), rated.costUcents(),
                        rated.chargeUcents(), rated.capped(), postingId, rules.version());
                out.write(event.eventId(), arrivalDay, event.occurredAt(), event.usageDate(), event.kind().code(),
                        event.accountId(), rated.payerAccountId(), event.resourceId(), rated.billingMode(), event.statusCode(),
                        event.tokensInput(), event.tokensOutput(), event.quantity(), rated.costUcents(), rated.chargeUcents(),
                        rated.capped(), postingId, rules.version());
                if (event.kind() == UsageKind.BOT_MESSAGE && rated.chargeUcents() > 0) {
                    botCharges.add(event.resourceId(), event.accountId(), event.conversationId(), event.usageDate(),
                            rated.chargeUcents());
                }
                counts[0]++;
                if (rated.capped()) {
                    counts[3]++;
                }
            });
            botCharges.flush();
        }
        RejectStore.insert(jdbc, arrivalDay, rejects);
        return new RatingResult(counts[0], counts[2], counts[3]);
    }

    /**
     * SQL condition: the staged row {@code staged} of {@code arrivalDay} was not stored on another
     * arrival day (it is not a duplicate). A copy of an event can only have arrived from the day
     * before its usage day (the validator's future tolerance) to its usage day plus the allowed
     * lateness and a day of rounding, so only those days' tables are looked at (docs/rulings.md
     * "Dedup window"). Said so per row, that window cannot prune a single day's table from the
     * plan: PostgreSQL scanned the primary key of every day ever loaded. So it is said twice with
     * fixed bounds. Every staged event's window lies within arrivalDay - lateness - 2 ..
     * arrivalDay + lateness + 2 (the validator accepts usage days from arrivalDay - lateness to
     * arrivalDay + 1); an event used on arrivalDay - 1 or later can only have an earlier copy from
     * arrivalDay - 2 on, which is one join with two or three day tables; only a late event looks
     * further back, one index probe per day table for each such event.
     */
    public static String notRatedEarlier(String staged, LocalDate arrivalDay, Duration allowedLateness) {
        String usageDay = "(" + staged + ".occurred_at at time zone 'UTC')::date";
        long lateness = allowedLateness.toDays();
        return """
                not exists (%s)
                and (%s >= '%s' or not exists (%s))""".formatted(
                earlierCopy(staged, usageDay, lateness, arrivalDay.minusDays(2), arrivalDay.plusDays(lateness + 2)),
                usageDay, arrivalDay.minusDays(1),
                earlierCopy(staged, usageDay, lateness, arrivalDay.minusDays(lateness + 2), arrivalDay.minusDays(3)));
    }

    /** SQL: a copy of {@code staged} stored on another arrival day within its window and within from..to. */
    private static String earlierCopy(String staged, String usageDay, long lateness, LocalDate from, LocalDate to) {
        return """
                select 1 from usage_event u where u.event_id = %1$s.event_id and u.arrival_date <> %1$s.arrival_date
                and u.arrival_date between %2$s - 1 and %2$s + %3$d and u.arrival_date between '%4$s' and '%5$s'"""
                .formatted(staged, usageDay, lateness + 1, from, to);
    }

    /** The event of a {@code staged_event} or {@code usage_event} row. */
    public static UsageEvent toEvent(ResultSet rs) throws SQLException {
        return new UsageEvent(rs.getString("source_file"), rs.getLong("source_row"), rs.getString("event_id"),
                rs.getTimestamp("occurred_at").toInstant(), UsageKind.ofCode(rs.getString("kind")),
                rs.getString("account_id"), rs.getString("project_id"), rs.getString("resource_id"),
                rs.getString("conversation_id"), rs.getString("end_user_id"), rs.getString("platform"),
                rs.getString("provider"), rs.getString("model"), rs.getString("billing_mode"),
                rs.getLong("tokens_input"), rs.getLong("tokens_output"),
                (Integer) rs.getObject("iterations"), (Long) rs.getObject("latency_ms"),
                "success".equals(rs.getString("status")), rs.getLong("quantity"));
    }

    /**
     * Cap state of the bot currently streaming: loaded from what earlier arrival days charged it
     * ({@code bot_spend}, one index range; only for a bot with a cap: without one the history
     * changes nothing), then updated event by event. Events arrive grouped by resource, so one bot
     * is held at a time.
     */
    static final class CapState {
        private final JdbcTemplate jdbc;
        private final LocalDate arrivalDay;
        private String botId;
        private BotSpend spend;

        CapState(JdbcTemplate jdbc, LocalDate arrivalDay) {
            this.jdbc = jdbc;
            this.arrivalDay = arrivalDay;
        }

        BotSpend spendOf(Bot bot) {
            if (!bot.botId().equals(botId)) {
                botId = bot.botId();
                spend = new BotSpend(bot);
                if (!bot.hasCaps()) {
                    return spend;
                }
                jdbc.query("""
                        select conversation_id, usage_date, sum(charge_ucents) from bot_spend
                        where bot_id = ? and arrival_date < ? group by 1, 2""", rs -> {
                    spend.addHistory(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getLong(3));
                }, bot.botId(), Date.valueOf(arrivalDay));
            }
            return spend;
        }
    }
}
