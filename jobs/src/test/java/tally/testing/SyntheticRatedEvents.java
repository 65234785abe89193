package tally.testing;

import tally.ledger.PostingIds;
import tally.rating.RatedEvent;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;
import tally.sample.UsageGenerator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/** Realistic rated events without a database: what rating UsageGenerator's usage would produce, roughly. */
public final class SyntheticRatedEvents {

    static final int ACCOUNTS = 10_000, BOTS = 50_000, ENDPOINTS = 2_500, TOOLS = 200;
    /** Bot billing modes as UsageGenerator's reference data assigns them (bot i gets modes[i % 8]). */
    static final String[] BOT_MODES = {"wallet", "wallet", "wallet", "wallet", "wallet", "wallet", "byok", "plan_quota"};
    static final String RULES_VERSION = "bf5a54105b64";

    private SyntheticRatedEvents() {
    }

    /** Account buckets of a day (a 10M-event day in segments of 100k rows): a segment holds one bucket's events. */
    static final int BUCKETS = 100;

    /**
     * {@code size} rated events of one arrival day in UsageGenerator's mix (35% bot messages, 10%
     * agent runs, 10% tool calls, the rest API, gateway, MCP, logic engine and storage events; 3%
     * failed; 1% late by a day), priced with the rules, in segments of {@code segmentRows} as the
     * nightly makes them: each segment the events of one bucket of accounts (1% of 10k accounts,
     * their bots and endpoints), in rating order (resource nulls first, occurred_at, event_id).
     * Bot, endpoint and account i belong to account i mod 10k, account i to bucket i mod 100.
     */
    public static RatedEvent[] generate(int size, int segmentRows, RatingRules rules, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LocalDate day = LocalDate.of(2026, 3, 2);
        String[] accounts = new String[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = "a" + i;
        }
        int[] endpointPriceCents = new int[ENDPOINTS];
        int[] toolPriceCents = new int[TOOLS];
        for (int i = 0; i < ENDPOINTS; i++) {
            endpointPriceCents[i] = i % 5 == 0 ? 0 : 1 + random.nextInt(25);
        }
        for (int i = 0; i < TOOLS; i++) {
            toolPriceCents[i] = 1 + random.nextInt(50);
        }
        RatedEvent[] events = new RatedEvent[size];
        for (int row = 0; row < size; row++) {
            int segment = row / segmentRows;
            int bucket = segment % BUCKETS;
            // the bucket's share of the day's ids: every BUCKETS-th
            String eventId = "evt-20260302-" + ((long) (segment / BUCKETS * segmentRows + row % segmentRows) * BUCKETS + bucket);
            LocalDate usageDay = random.nextInt(100) == 0 ? day.minusDays(1) : day;
            Instant at = usageDay.atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis(random.nextLong(86_400_000L))
                    .plusNanos(random.nextInt(1000) * 1000L);
            boolean success = random.nextInt(100) >= 3;
            String status = success ? "success" : "failed";
            int pick = random.nextInt(100);
            String account, resource = null, mode = null, conversation = null, provider = null, model = null, kind;
            long tokensIn = 0, tokensOut = 0, quantity = 1, cost = 0, charge = 0;
            boolean capped = false;
            if (pick < 35) {
                int bot = bucket + BUCKETS * random.nextInt(BOTS / BUCKETS);
                kind = "bot_message";
                resource = "b" + bot;
                account = accounts[bot % ACCOUNTS];
                String[] pair = UsageGenerator.runsOnWorkersAi(resource) ? new String[] {"workers-ai", UsageGenerator.WORKERS_MODEL}
                        : UsageGenerator.MODELS[random.nextInt(UsageGenerator.MODELS.length)];
                provider = pair[0];
                model = pair[1];
                conversation = "conv-" + resource + "-" + usageDay.getDayOfMonth() + "-" + random.nextInt(12);
                mode = random.nextInt(100) < 3 ? "byok" : BOT_MODES[bot % BOT_MODES.length];
                tokensIn = 200 + random.nextInt(2800);
                tokensOut = 20 + random.nextInt(780);
                cost = tokenCost(rules, provider, model, at, tokensIn, tokensOut);
                long due = success && mode.equals("wallet") ? cost : 0;
                capped = due > 0 && bot % 17 == 0 && random.nextInt(10) == 0;
                charge = capped ? due / 3 : due;
            } else if (pick < 45) {
                int endpoint = bucket + BUCKETS * random.nextInt(ENDPOINTS / BUCKETS);
                kind = "agent_run";
                resource = "e" + endpoint;
                account = accounts[endpoint % ACCOUNTS];
                String[] pair = UsageGenerator.MODELS[random.nextInt(UsageGenerator.MODELS.length)];
                provider = pair[0];
                model = pair[1];
                mode = random.nextInt(100) < 10 ? "byok" : null;
                tokensIn = 500 + random.nextInt(4000);
                tokensOut = 50 + random.nextInt(900);
                cost = tokenCost(rules, provider, model, at, tokensIn, tokensOut);
                charge = success ? endpointPriceCents[endpoint] * 1_000_000L : 0;
            } else if (pick < 55) {
                int tool = random.nextInt(TOOLS);
                kind = "tool_call";
                resource = "t" + tool;
                account = accounts[bucket + BUCKETS * random.nextInt(ACCOUNTS / BUCKETS)];
                cost = toolPriceCents[tool] * 1_000_000L;
                charge = success ? cost : 0;
            } else {
                kind = pick < 80 ? "api_request" : pick < 88 ? "gateway_request" : pick < 93 ? "mcp_proxy_call"
                        : pick < 98 ? "logic_engine_call" : "storage_snapshot";
                account = accounts[bucket + BUCKETS * random.nextInt(ACCOUNTS / BUCKETS)];
                quantity = kind.equals("storage_snapshot") ? 50_000_000L + random.nextLong(2_000_000_000L) : 1 + random.nextInt(20);
            }
            String posting = charge > 0 ? PostingIds.debit(account, resource, usageDay, day) : null;
            events[row] = RatedEvent.of(eventId, day, at, usageDay, kind, account, account, resource, mode, status,
                    tokensIn, tokensOut, quantity, cost, charge, capped, posting, RULES_VERSION, conversation, provider, model);
        }
        Comparator<RatedEvent> ratingOrder = Comparator.comparing(RatedEvent::resourceId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(RatedEvent::occurredAtMicros).thenComparing(RatedEvent::eventId);
        for (int from = 0; from < size; from += segmentRows) {
            Arrays.sort(events, from, Math.min(size, from + segmentRows), ratingOrder);
        }
        return events;
    }

    private static long tokenCost(RatingRules rules, String provider, String model, Instant at, long tokensIn, long tokensOut) {
        ModelPrice price = rules.priceAt(provider, model, at)
                .orElseThrow(() -> new IllegalStateException("no price for " + provider + "/" + model));
        return price.costUcents(tokensIn, tokensOut);
    }
}
