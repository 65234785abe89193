package tally.rating;

import tally.analytics.DayParts;
import tally.infra.AvroParquet;
import tally.infra.CodePointOrder;
import tally.invoicing.UsageCounters;
import tally.ledger.UsageCharges;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.StagedBatch;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rates one bucket of an arrival day's staged events (their accounts' events, duplicates already
 * left out) into rated segments and everything the later steps read instead of the events: the
 * charges to post, bot spend, analytics parts and plan counters. Events of bots without caps are
 * rated as they come; a capped bot's events are rated after its history, in (occurred_at,
 * event_id) order, ids in {@link CodePointOrder}.
 * Pure but for {@link CapHistory}; memory follows the bucket's size.
 */
public final class BucketRating {

    /** A segment is cut at this many rows (a bucket is sized well below it). */
    static final int SEGMENT_ROWS = 250_000;

    /** What a capped bot was charged on earlier arrival days, per (conversation, usage day). */
    public record Spend(String botId, String conversationId, LocalDate usageDate, long chargeUcents) {
    }

    /** The spend before this arrival day of the given bots. */
    @FunctionalInterface
    public interface CapHistory {
        List<Spend> of(Collection<String> botIds);
    }

    /** One rated segment: a Parquet file of one row group, and the usage days it covers. */
    public record Segment(byte[] parquet, int rows, LocalDate minUsageDate, LocalDate maxUsageDate) {
    }

    /** Everything a bucket's rating produced. */
    public record Result(List<Segment> segments, UsageCharges charges, BotCharges botCharges, DayParts parts,
                         UsageCounters counters, long rated, long capped, long costUcents, long chargeUcents,
                         long botChargeUcents) {
    }

    private static final Comparator<String> CODE_POINTS = CodePointOrder.ORDER;
    static final Comparator<UsageEvent> CAPS_ORDER = Comparator.comparing(UsageEvent::resourceId, CODE_POINTS)
            .thenComparing(UsageEvent::occurredAt).thenComparing(UsageEvent::eventId, CODE_POINTS);

    private final LocalDate arrivalDay;
    private final RatingRules rules;
    private final ReferenceData reference;
    private final CapHistory history;

    public BucketRating(LocalDate arrivalDay, RatingRules rules, ReferenceData reference, CapHistory history) {
        this.arrivalDay = arrivalDay;
        this.rules = rules;
        this.reference = reference;
        this.history = history;
    }

    public Result rate(Iterable<StagedBatch.Row> rows) {
        Output out = new Output();
        Rater rater = new Rater(rules, reference);
        List<UsageEvent> capped = new ArrayList<>();
        for (StagedBatch.Row row : rows) {
            UsageEvent e = row.event();
            Bot bot = e.kind() == UsageKind.BOT_MESSAGE ? reference.bots().get(e.resourceId()) : null;
            if (bot != null && bot.hasCaps()) {
                capped.add(e);
            } else {
                out.add(e, rater.rate(e, b -> {
                    throw new IllegalStateException("bot " + b.botId() + " has no caps");
                }));
            }
        }
        rateCapped(capped, rater, out);
        return out.finish();
    }

    private void rateCapped(List<UsageEvent> capped, Rater rater, Output out) {
        if (capped.isEmpty()) {
            return;
        }
        capped.sort(CAPS_ORDER);
        Set<String> bots = new LinkedHashSet<>();
        capped.forEach(e -> bots.add(e.resourceId()));
        Map<String, List<Spend>> spendByBot = new java.util.HashMap<>();
        for (Spend spend : history.of(bots)) {
            spendByBot.computeIfAbsent(spend.botId(), b -> new ArrayList<>()).add(spend);
        }
        String botId = null;
        BotSpend spend = null;
        for (UsageEvent e : capped) {
            if (!e.resourceId().equals(botId)) {
                botId = e.resourceId();
                spend = new BotSpend(reference.bots().get(botId));
                for (Spend earlier : spendByBot.getOrDefault(botId, List.of())) {
                    spend.addHistory(earlier.conversationId(), earlier.usageDate(), earlier.chargeUcents());
                }
            }
            BotSpend current = spend;
            out.add(e, rater.rate(e, b -> current));
        }
    }

    /** The bucket's outputs being built. */
    private final class Output {
        private final RatedSegmentWriter writer = new RatedSegmentWriter();
        private final List<Segment> segments = new ArrayList<>();
        private final UsageCharges charges = new UsageCharges(arrivalDay);
        private final BotCharges botCharges = new BotCharges();
        private final DayParts parts = new DayParts();
        private final UsageCounters counters = new UsageCounters();
        private int minUsageDay = Integer.MAX_VALUE;
        private int maxUsageDay = Integer.MIN_VALUE;
        private long rated;
        private long capped;
        private long costUcents;
        private long chargeUcents;
        private long botChargeUcents;

        void add(UsageEvent e, RatingOutcome outcome) {
            if (!(outcome instanceof RatingOutcome.Rated r)) {
                RatingOutcome.Rejected rejected = (RatingOutcome.Rejected) outcome;
                throw new IllegalStateException("event " + e.eventId() + " passed staging's checks but rating rejects it ("
                        + rejected.reason() + ": " + rejected.detail() + "): the reference data or rules changed while "
                        + arrivalDay + " was being rated; run the night again once they are settled");
            }
            LocalDate usageDate = e.usageDate();
            String postingId = r.chargeUcents() > 0
                    ? charges.add(r.payerAccountId(), e.resourceId(), e.kind(), usageDate, r.chargeUcents()) : null;
            int usageDay = (int) usageDate.toEpochDay();
            writer.add(new RatedEvent(e.eventId(), (int) arrivalDay.toEpochDay(), AvroParquet.epochMicros(e.occurredAt()), usageDay, e.kind().code(),
                    e.accountId(), r.payerAccountId(), e.resourceId(), r.billingMode(), e.statusCode(), e.tokensInput(),
                    e.tokensOutput(), e.quantity(), r.costUcents(), r.chargeUcents(), r.capped(), postingId,
                    rules.version(), e.conversationId(), e.provider(), e.model()));
            minUsageDay = Math.min(minUsageDay, usageDay);
            maxUsageDay = Math.max(maxUsageDay, usageDay);
            if (writer.rows() == SEGMENT_ROWS) {
                cutSegment();
            }
            if (r.chargeUcents() > 0) {
                if (e.kind() == UsageKind.BOT_MESSAGE) {
                    botCharges.add(e.resourceId(), e.accountId(), e.conversationId(), usageDate, r.chargeUcents());
                    botChargeUcents = Math.addExact(botChargeUcents, r.chargeUcents());
                }
            }
            parts.add(e, r);
            counters.add(e, r);
            rated++;
            if (r.capped()) {
                capped++;
            }
            costUcents = Math.addExact(costUcents, r.costUcents());
            chargeUcents = Math.addExact(chargeUcents, r.chargeUcents());
        }

        private void cutSegment() {
            int rows = writer.rows();
            segments.add(new Segment(writer.finish(), rows, LocalDate.ofEpochDay(minUsageDay), LocalDate.ofEpochDay(maxUsageDay)));
            minUsageDay = Integer.MAX_VALUE;
            maxUsageDay = Integer.MIN_VALUE;
        }

        Result finish() {
            if (writer.rows() > 0) {
                cutSegment();
            }
            return new Result(segments, charges, botCharges, parts, counters, rated, capped, costUcents, chargeUcents,
                    botChargeUcents);
        }
    }
}
