package tally.rating;

import tally.reference.Account;
import tally.reference.AgentEndpoint;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.reference.Tool;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Rules, reference data and events for rating tests, built directly as records. */
final class RatingFixtures {

    static final String OWNER = "acct-owner";
    static final String OTHER = "acct-other";
    static final Instant PRICES_FROM = Instant.parse("2025-01-01T00:00:00Z");

    /** gpt-4o at $2.50 / $10.00 per 1M tokens: 1000 in + 500 out = 750,000 micro-cents (0.75 cent). */
    static final long GPT_4O_1000_500_UCENTS = 750_000;

    static final RatingRules RULES = new RatingRules(Map.of(
            "openai/gpt-4o", List.of(new ModelPrice("openai", "gpt-4o", PRICES_FROM, null, 250, 1000, "test line 2")),
            "workers-ai/*", List.of(new ModelPrice("workers-ai", "*", PRICES_FROM, null, 0, 0, "test line 3"))),
            List.of(), "test-rules");

    static final AgentEndpoint AGENT = new AgentEndpoint("agent-1", OWNER, "Research agent", 25, "platform");
    static final AgentEndpoint OTHERS_AGENT = new AgentEndpoint("agent-2", OTHER, "Other agent", 40, "byok");
    static final Tool TOOL = new Tool("tool-1", OTHER, "Web search", 5);

    private RatingFixtures() {
    }

    static Bot bot(String botId, String billingMode) {
        return new Bot(botId, OWNER, botId, "web", billingMode, null, null, null, null);
    }

    static Bot cappedBot(Long lifetimeCents, Long conversationCents, Long dailyCents, Long monthlyCents) {
        return new Bot("bot-capped", OWNER, "Capped bot", "web", "wallet", lifetimeCents, conversationCents, dailyCents,
                monthlyCents);
    }

    static ReferenceData reference(Bot... bots) {
        Account owner = new Account(OWNER, "aerostack", "pro", "monthly", null, false, false, false, false, false);
        Account other = new Account(OTHER, "agentstack", "basic", "monthly", null, false, false, false, false, false);
        return new ReferenceData(Map.of(OWNER, owner, OTHER, other),
                Stream.concat(Stream.of(new Bot("bot-others", OTHER, "Other bot", "web", "wallet", null, null, null, null)),
                        Arrays.stream(bots)).collect(Collectors.toMap(Bot::botId, b -> b)),
                Map.of(AGENT.endpointId(), AGENT, OTHERS_AGENT.endpointId(), OTHERS_AGENT),
                Map.of(TOOL.toolId(), TOOL));
    }

    /** For bots that must never reach the caps. */
    static final Function<Bot, BotSpend> NO_SPEND = b -> {
        throw new AssertionError("caps consulted for " + b.botId());
    };

    /** A usage event with sensible defaults: a successful gpt-4o bot message of 1000 in / 500 out tokens. */
    static final class Ev {
        String eventId = "evt-1";
        Instant occurredAt = Instant.parse("2026-03-10T12:00:00Z");
        UsageKind kind = UsageKind.BOT_MESSAGE;
        String accountId = OWNER;
        String resourceId = "bot-wallet";
        String conversationId = "conv-1";
        String provider = "openai";
        String model = "gpt-4o";
        String billingMode;
        long tokensInput = 1000;
        long tokensOutput = 500;
        boolean success = true;

        Ev kind(UsageKind kind, String resourceId) {
            this.kind = kind;
            this.resourceId = resourceId;
            return this;
        }

        Ev resource(String resourceId) {
            this.resourceId = resourceId;
            return this;
        }

        Ev account(String accountId) {
            this.accountId = accountId;
            return this;
        }

        Ev at(String instant) {
            this.occurredAt = Instant.parse(instant);
            return this;
        }

        Ev conversation(String conversationId) {
            this.conversationId = conversationId;
            return this;
        }

        Ev model(String provider, String model) {
            this.provider = provider;
            this.model = model;
            return this;
        }

        Ev mode(String billingMode) {
            this.billingMode = billingMode;
            return this;
        }

        Ev tokens(long input, long output) {
            this.tokensInput = input;
            this.tokensOutput = output;
            return this;
        }

        Ev failed() {
            this.success = false;
            return this;
        }

        UsageEvent build() {
            return new UsageEvent("usage-2026-03-10.parquet", 7, eventId, occurredAt, kind, accountId, "proj-1",
                    resourceId, conversationId, "user-1", "web", provider, model, billingMode, tokensInput, tokensOutput,
                    null, null, success, 1);
        }
    }

    static Ev event() {
        return new Ev();
    }
}
