package tally.analytics;

import tally.infra.CodePointOrder;
import tally.infra.PgCopy;
import tally.rating.RatingOutcome;
import tally.usage.UsageEvent;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;

/**
 * One bucket's share of the daily analytics, per (resource, usage day): what the rollups add up
 * over every arrival day that brought events of that day ({@code bot_day_part},
 * {@code agent_day_part}, {@code tool_day_part}, V17). Counts and sums are kept; what cannot be
 * added up (distinct users and conversations, latency percentiles) is kept as the values
 * themselves, distinct or sorted. A bucket holds its own accounts' bots and endpoints, and its
 * accounts' calls of every tool, so its parts are bounded by the bucket's size.
 */
public final class DayParts {

    private record Key(String resourceId, LocalDate usageDate) {
    }

    private static final class Bot {
        String accountId;
        long received;
        long sent;
        long tokensInput;
        long tokensOutput;
        long costUcents;
        final Set<String> endUsers = new HashSet<>();
        final Set<String> conversations = new HashSet<>();
    }

    private static final class Agent {
        String accountId;
        long runs;
        long successes;
        long failures;
        long tokensInput;
        long tokensOutput;
        long costUcents;
        final List<Long> latenciesMs = new ArrayList<>();
        long iterationsTotal;
        long iterationsCount;
    }

    /** A tool's calls from the bucket, and what the bucket's debits collected and kept as fee. */
    private static final class Tool {
        long calls;
        long collectedCents;
        long feeCents;
    }

    private final Map<Key, Bot> bots = new HashMap<>();
    private final Map<Key, Agent> agents = new HashMap<>();
    private final Map<Key, Tool> tools = new HashMap<>();

    /** Adds one rated event. */
    public void add(UsageEvent e, RatingOutcome.Rated rated) {
        Key key = new Key(e.resourceId(), e.usageDate());
        switch (e.kind()) {
            case BOT_MESSAGE -> {
                Bot b = bots.computeIfAbsent(key, k -> new Bot());
                b.accountId = min(b.accountId, e.accountId());
                b.received++;
                if (e.success()) {
                    b.sent++;
                }
                b.tokensInput += e.tokensInput();
                b.tokensOutput += e.tokensOutput();
                b.costUcents = Math.addExact(b.costUcents, rated.costUcents());
                if (e.endUserId() != null) {
                    b.endUsers.add(e.endUserId());
                }
                if (e.conversationId() != null) {
                    b.conversations.add(e.conversationId());
                }
            }
            case AGENT_RUN -> {
                Agent a = agents.computeIfAbsent(key, k -> new Agent());
                a.accountId = min(a.accountId, e.accountId());
                a.runs++;
                if (e.success()) {
                    a.successes++;
                } else {
                    a.failures++;
                }
                a.tokensInput += e.tokensInput();
                a.tokensOutput += e.tokensOutput();
                a.costUcents = Math.addExact(a.costUcents, rated.costUcents());
                if (e.latencyMs() != null) {
                    a.latenciesMs.add(e.latencyMs());
                }
                if (e.iterations() != null) {
                    a.iterationsTotal += e.iterations();
                    a.iterationsCount++;
                }
            }
            case TOOL_CALL -> tools.computeIfAbsent(key, k -> new Tool()).calls++;
            default -> {
            }
        }
    }

    /** What one of the bucket's tool debits collected, and the marketplace fee on it. */
    public void addToolCollected(String toolId, LocalDate usageDate, long collectedCents, long feeCents) {
        Tool t = tools.computeIfAbsent(new Key(toolId, usageDate), k -> new Tool());
        t.collectedCents += collectedCents;
        t.feeCents += feeCents;
    }

    /** Writes the parts, in the caller's transaction. */
    public void write(DataSource dataSource, LocalDate arrivalDay, int bucket) {
        try (PgCopy copy = new PgCopy(dataSource, "bot_day_part", List.of("bot_id", "usage_date", "arrival_date",
                "account_id", "messages_received", "messages_sent", "tokens_input", "tokens_output", "cost_ucents",
                "end_user_ids", "conversation_ids"))) {
            bots.forEach((k, b) -> copy.row(k.resourceId(), k.usageDate(), arrivalDay, b.accountId, b.received, b.sent,
                    b.tokensInput, b.tokensOutput, b.costUcents, PgCopy.textArray(sorted(b.endUsers)),
                    PgCopy.textArray(sorted(b.conversations))));
        }
        try (PgCopy copy = new PgCopy(dataSource, "agent_day_part", List.of("endpoint_id", "usage_date", "arrival_date",
                "account_id", "runs", "successes", "failures", "tokens_input", "tokens_output", "cost_ucents",
                "latencies_ms", "iterations_total", "iterations_count"))) {
            agents.forEach((k, a) -> {
                List<Long> sorted = new ArrayList<>(a.latenciesMs);
                sorted.sort(null);
                copy.row(k.resourceId(), k.usageDate(), arrivalDay, a.accountId, a.runs, a.successes, a.failures,
                        a.tokensInput, a.tokensOutput, a.costUcents, PgCopy.bigintArray(sorted), a.iterationsTotal,
                        a.iterationsCount);
            });
        }
        try (PgCopy copy = new PgCopy(dataSource, "tool_day_part", List.of("tool_id", "usage_date", "arrival_date",
                "bucket", "calls", "collected_cents", "fee_cents"))) {
            tools.forEach((k, t) -> copy.row(k.resourceId(), k.usageDate(), arrivalDay, bucket, t.calls,
                    t.collectedCents, t.feeCents));
        }
    }

    private static List<String> sorted(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(CodePointOrder.ORDER);
        return list;
    }

    /** The smaller id in {@link CodePointOrder}, the order of min() under the database's collation C. */
    private static String min(String current, String candidate) {
        return current == null || CodePointOrder.ORDER.compare(candidate, current) < 0 ? candidate : current;
    }
}
