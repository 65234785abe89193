package tally.rerun;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import tally.infra.BadInputException;
import tally.infra.PgCopy;
import tally.rating.BotSpend;
import tally.rating.Rater;
import tally.rating.RatingOutcome;
import tally.rating.UsageRating;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.UsageEvent;

import javax.sql.DataSource;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-rates every event whose usage day is in the period with the rules as they now stand, and
 * stores the new cost, charge and rules version in {@code usage_event}. Events are replayed per
 * resource in the order the nightly runs rated them (arrival day, occurred_at, event_id); a capped
 * bot's events outside the period are replayed too, at their stored charges, so cap state is what
 * it was. Runs inside the caller's transaction.
 */
@Component
public class Rerating {

    private static final int FETCH_SIZE = 10_000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public Rerating(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    public record RerateResult(long rerated, long changed) {
    }

    public RerateResult rerate(LocalDate from, LocalDate to, RatingRules rules, ReferenceData reference) {
        jdbc.execute("create temporary table rerated (event_id text not null, arrival_date date not null, "
                + "cost_ucents bigint not null, charge_ucents bigint not null, capped boolean not null, "
                + "primary key (event_id, arrival_date)) on commit drop");
        Rater rater = new Rater(rules, reference);
        List<String> unrateable = new ArrayList<>();
        long[] rerated = new long[1];
        BotReplay replay = new BotReplay();
        try (PgCopy copy = new PgCopy(dataSource, "rerated", List.of("event_id", "arrival_date", "cost_ucents", "charge_ucents", "capped"))) {
            JdbcTemplate streaming = new JdbcTemplate(dataSource);
            streaming.setFetchSize(FETCH_SIZE);
            streaming.query("""
                    select u.*, u.usage_date between ? and ? as in_period from usage_event u
                    where u.usage_date between ? and ?
                       or (u.kind = 'bot_message' and u.resource_id in (
                            select b.bot_id from bot b
                            where (b.spending_cap_cents is not null or b.conversation_cap_cents is not null
                                   or b.daily_cap_cents is not null or b.monthly_cap_cents is not null)
                              and exists (select 1 from usage_event p where p.resource_id = b.bot_id
                                          and p.usage_date between ? and ?)))
                    order by u.resource_id collate "C" nulls first, u.arrival_date, u.occurred_at, u.event_id collate "C" asc""",
                    (RowCallbackHandler) rs -> {
                        UsageEvent event = UsageRating.toEvent(rs);
                        if (!rs.getBoolean("in_period")) {
                            replay.history(reference, event, rs.getLong("charge_ucents"));
                            return;
                        }
                        RatingOutcome outcome = rater.rate(event, replay::spendOf);
                        if (outcome instanceof RatingOutcome.Rejected rejected) {
                            if (unrateable.size() < 5) {
                                unrateable.add(event.eventId() + ": " + rejected.reason() + " (" + rejected.detail() + ")");
                            }
                            return;
                        }
                        RatingOutcome.Rated r = (RatingOutcome.Rated) outcome;
                        copy.row(event.eventId(), rs.getDate("arrival_date").toLocalDate(), r.costUcents(), r.chargeUcents(), r.capped());
                        rerated[0]++;
                    }, Date.valueOf(from), Date.valueOf(to), Date.valueOf(from), Date.valueOf(to),
                    Date.valueOf(from), Date.valueOf(to));
        }
        if (!unrateable.isEmpty()) {
            throw new BadInputException("the rules in force cannot rate every event of " + from + ".." + to
                    + " (fix rating-rules and rerun; nothing was posted): " + String.join("; ", unrateable));
        }
        Long changed = jdbc.queryForObject("""
                select count(*) from usage_event u join rerated r using (event_id, arrival_date)
                where (u.cost_ucents, u.charge_ucents, u.capped) is distinct from (r.cost_ucents, r.charge_ucents, r.capped)""",
                Long.class);
        jdbc.execute("""
                create temporary table respent on commit drop as
                select distinct u.resource_id as bot_id, u.arrival_date from usage_event u join rerated r using (event_id, arrival_date)
                where u.kind = 'bot_message' and u.charge_ucents <> r.charge_ucents""");
        jdbc.update("""
                update usage_event u set cost_ucents = r.cost_ucents, charge_ucents = r.charge_ucents, capped = r.capped,
                    rules_version = ?
                from rerated r where r.event_id = u.event_id and r.arrival_date = u.arrival_date""", rules.version());
        respend();
        return new RerateResult(rerated[0], changed == null ? 0 : changed);
    }

    /** The bots' charges kept for later nights' caps ({@code bot_spend}), again from usage_event where re-rating changed them. */
    private void respend() {
        jdbc.update("delete from bot_spend s using respent k where s.bot_id = k.bot_id and s.arrival_date = k.arrival_date");
        jdbc.update("""
                insert into bot_spend (bot_id, arrival_date, usage_date, conversation_id, account_id, charge_ucents)
                select u.resource_id, u.arrival_date, u.usage_date, u.conversation_id, u.account_id, sum(u.charge_ucents)
                from usage_event u join respent k on k.bot_id = u.resource_id and k.arrival_date = u.arrival_date
                where u.kind = 'bot_message' and u.charge_ucents > 0
                group by 1, 2, 3, 4, 5""");
    }

    /** Cap state of the bot being replayed: history at stored charges, period events re-rated. */
    private static final class BotReplay {
        private String botId;
        private BotSpend spend;

        BotSpend spendOf(Bot bot) {
            if (!bot.botId().equals(botId)) {
                botId = bot.botId();
                spend = new BotSpend(bot);
            }
            return spend;
        }

        void history(ReferenceData reference, UsageEvent event, long chargeUcents) {
            Bot bot = reference.bots().get(event.resourceId());
            if (bot != null && bot.hasCaps()) {
                spendOf(bot).addHistory(event.conversationId(), event.usageDate(), chargeUcents);
            }
        }
    }
}
