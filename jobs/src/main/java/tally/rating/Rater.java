package tally.rating;

import tally.money.Money;
import tally.reference.AgentEndpoint;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.reference.Tool;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rates one event against the rules and reference data (RULES.md, Usage kinds). Pure: bot spend
 * for caps is passed in, so events must arrive per bot in (occurred_at, event_id) order. Not
 * thread-safe (it remembers the price rows of the models it has seen): one per thread.
 */
public final class Rater {

    public static final String WALLET = "wallet";
    public static final String BYOK = "byok";
    public static final String PLAN_QUOTA = "plan_quota";

    /** The reasons rating rejects an event for (rows are rejected earlier for others). */
    public static final List<String> REJECT_REASONS = List.of("unknown_account", "unknown_resource",
            "resource_account_mismatch", "unknown_price", "cost_overflow");

    /** {@link #REJECT_REASONS} as an SQL list, for {@code reason in ...}. */
    public static final String REJECT_REASONS_SQL =
            REJECT_REASONS.stream().map(r -> "'" + r + "'").collect(Collectors.joining(", ", "(", ")"));

    private final RatingRules rules;
    private final ReferenceData reference;
    /** provider -> model -> the rows that price it ({@link RatingRules#pricesOf}), filled as models are seen. */
    private final Map<String, Map<String, List<ModelPrice>>> pricesByProvider = new HashMap<>();

    public Rater(RatingRules rules, ReferenceData reference) {
        this.rules = rules;
        this.reference = reference;
    }

    /**
     * Why rating would reject the event, or null: the checks of reference data and prices, which
     * need no cap state. Staging runs them, so every reject of a day is known before anything is
     * rated or posted; {@link #rate} runs them again (a rejection there means the reference data
     * changed under a running night).
     */
    public RatingOutcome.Rejected rejection(UsageEvent event) {
        return check(event).rejected();
    }

    /**
     * @param spendOf the spend record of a capped bot (called only for bots with caps)
     */
    public RatingOutcome rate(UsageEvent event, Function<Bot, BotSpend> spendOf) {
        Check check = check(event);
        if (check.rejected() != null) {
            return check.rejected();
        }
        return switch (event.kind()) {
            case BOT_MESSAGE -> rateBotMessage(event, check.bot(), check.tokenCostUcents(), spendOf);
            case AGENT_RUN -> rateAgentRun(event, check.endpoint(), check.tokenCostUcents());
            case TOOL_CALL -> rateToolCall(event, check.tool());
            default -> new RatingOutcome.Rated(event.accountId(), event.billingMode(), 0, 0, false);
        };
    }

    /**
     * What the checks found: why rating rejects the event, or the resource and token cost its rating
     * needs (looked up once: rating used to repeat the checks' lookups).
     */
    private record Check(RatingOutcome.Rejected rejected, Bot bot, AgentEndpoint endpoint, Tool tool,
                         long tokenCostUcents) {
        static final Check NOTHING_TO_LOOK_UP = new Check(null, null, null, null, 0);

        static Check rejecting(RatingOutcome.Rejected rejected) {
            return new Check(rejected, null, null, null, 0);
        }
    }

    /**
     * The checks in their order: unknown account, then unknown resource, owner mismatch, price. A
     * bot's or endpoint's owner is an account of the reference data (their account_id references
     * account), so an event of its owner's account needs no lookup of the account: the account map
     * was the costliest lookup of staging's rows (JFR), and bot messages and agent runs are half of them.
     */
    private Check check(UsageEvent event) {
        switch (event.kind()) {
            case BOT_MESSAGE -> {
                Bot bot = reference.bots().get(event.resourceId());
                if (bot == null || !bot.accountId().equals(event.accountId())) {
                    return Check.rejecting(notOwned(event, "bot", bot == null ? null : bot.accountId()));
                }
                TokenCost cost = tokenCost(event);
                return cost.problem() != null ? Check.rejecting(cost.problem()) : new Check(null, bot, null, null, cost.ucents());
            }
            case AGENT_RUN -> {
                AgentEndpoint endpoint = reference.endpoints().get(event.resourceId());
                if (endpoint == null || !endpoint.accountId().equals(event.accountId())) {
                    return Check.rejecting(notOwned(event, "agent endpoint", endpoint == null ? null : endpoint.accountId()));
                }
                TokenCost cost = tokenCost(event);
                return cost.problem() != null ? Check.rejecting(cost.problem())
                        : new Check(null, null, endpoint, null, cost.ucents());
            }
            default -> {
                if (!reference.accounts().containsKey(event.accountId())) {
                    return Check.rejecting(unknownAccount(event));
                }
                if (event.kind() != UsageKind.TOOL_CALL) {
                    return Check.NOTHING_TO_LOOK_UP;
                }
                Tool tool = reference.tools().get(event.resourceId());
                return tool == null ? Check.rejecting(unknownResource(event, "tool")) : new Check(null, null, null, tool, 0);
            }
        }
    }

    /** Why an event is not of its resource's owner (null when the resource is unknown), in the checks' order. */
    private RatingOutcome.Rejected notOwned(UsageEvent event, String what, String owner) {
        if (!reference.accounts().containsKey(event.accountId())) {
            return unknownAccount(event);
        }
        return owner == null ? unknownResource(event, what) : mismatch(event, owner);
    }

    private RatingOutcome rateBotMessage(UsageEvent event, Bot bot, long costUcents, Function<Bot, BotSpend> spendOf) {
        String mode = event.billingMode() != null ? event.billingMode() : bot.billingMode();
        long due = event.success() && WALLET.equals(mode) ? costUcents : 0;
        long charge = due > 0 && bot.hasCaps() ? spendOf.apply(bot).applyCaps(event.conversationId(), event.usageDate(), due) : due;
        return new RatingOutcome.Rated(bot.accountId(), mode, costUcents, charge, charge < due);
    }

    private RatingOutcome rateAgentRun(UsageEvent event, AgentEndpoint endpoint, long costUcents) {
        long charge = event.success() ? Money.centsToUcents(endpoint.pricePerRunCents()) : 0;
        return new RatingOutcome.Rated(endpoint.accountId(), event.billingMode(), costUcents, charge, false);
    }

    private RatingOutcome rateToolCall(UsageEvent event, Tool tool) {
        long price = Money.centsToUcents(tool.priceCents());
        return new RatingOutcome.Rated(event.accountId(), event.billingMode(), price, event.success() ? price : 0, false);
    }

    /** The token cost of a bot message or agent run, or why it cannot be priced. */
    private record TokenCost(long ucents, RatingOutcome.Rejected problem) {
    }

    private TokenCost tokenCost(UsageEvent event) {
        Optional<ModelPrice> price = RatingRules.covering(pricesByProvider
                .computeIfAbsent(event.provider(), p -> new HashMap<>())
                .computeIfAbsent(event.model(), m -> rules.pricesOf(event.provider(), m)), event.occurredAt());
        if (price.isEmpty()) {
            return new TokenCost(0, new RatingOutcome.Rejected("unknown_price", "no price for " + event.provider() + "/"
                    + event.model() + " at " + event.occurredAt()));
        }
        try {
            return new TokenCost(price.get().costUcents(event.tokensInput(), event.tokensOutput()), null);
        } catch (ArithmeticException e) {
            return new TokenCost(0, new RatingOutcome.Rejected("cost_overflow", "token counts " + event.tokensInput()
                    + "/" + event.tokensOutput() + " are too large to price"));
        }
    }

    private static RatingOutcome.Rejected unknownAccount(UsageEvent event) {
        return new RatingOutcome.Rejected("unknown_account", "account_id '" + event.accountId() + "' is not in accounts.csv");
    }

    private static RatingOutcome.Rejected unknownResource(UsageEvent event, String what) {
        return new RatingOutcome.Rejected("unknown_resource", what + " '" + event.resourceId() + "' is not in the reference data");
    }

    private static RatingOutcome.Rejected mismatch(UsageEvent event, String owner) {
        return new RatingOutcome.Rejected("resource_account_mismatch", "resource '" + event.resourceId()
                + "' belongs to account '" + owner + "', not '" + event.accountId() + "'");
    }
}
