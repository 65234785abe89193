package tally.rating;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import tally.rating.RatingOutcome.Rated;
import tally.rating.RatingOutcome.Rejected;
import tally.reference.Bot;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.rating.RatingFixtures.AGENT;
import static tally.rating.RatingFixtures.GPT_4O_1000_500_UCENTS;
import static tally.rating.RatingFixtures.NO_SPEND;
import static tally.rating.RatingFixtures.OTHER;
import static tally.rating.RatingFixtures.OWNER;
import static tally.rating.RatingFixtures.RULES;
import static tally.rating.RatingFixtures.TOOL;
import static tally.rating.RatingFixtures.bot;
import static tally.rating.RatingFixtures.cappedBot;
import static tally.rating.RatingFixtures.event;
import static tally.rating.RatingFixtures.reference;

class RaterTest {

    final Rater rater = new Rater(RULES, reference(bot("bot-wallet", "wallet"), bot("bot-byok", "byok"),
            bot("bot-quota", "plan_quota")));

    Rated rated(RatingFixtures.Ev event) {
        return rated(rater, event.build(), NO_SPEND);
    }

    static Rated rated(Rater rater, UsageEvent event, Function<Bot, BotSpend> spendOf) {
        RatingOutcome outcome = rater.rate(event, spendOf);
        assertThat(outcome).isInstanceOf(Rated.class);
        return (Rated) outcome;
    }

    Rejected rejected(RatingFixtures.Ev event) {
        RatingOutcome outcome = rater.rate(event.build(), NO_SPEND);
        assertThat(outcome).isInstanceOf(Rejected.class);
        return (Rejected) outcome;
    }

    @Nested
    class BotMessages {

        @Test
        void walletModeChargesTheOwnerTheFullTokenCost() {
            assertThat(rated(event().resource("bot-wallet")))
                    .isEqualTo(new Rated(OWNER, "wallet", GPT_4O_1000_500_UCENTS, GPT_4O_1000_500_UCENTS, false));
        }

        @ParameterizedTest(name = "bot in {0} mode")
        @CsvSource({"bot-byok, byok", "bot-quota, plan_quota"})
        void byokAndPlanQuotaChargeNothingButStillReportTheCost(String botId, String mode) {
            assertThat(rated(event().resource(botId)))
                    .isEqualTo(new Rated(OWNER, mode, GPT_4O_1000_500_UCENTS, 0, false));
        }

        @ParameterizedTest(name = "bot {0}, event says {1}: charged {2}")
        @CsvSource({
                "bot-wallet, byok,       0",
                "bot-wallet, plan_quota, 0",
                "bot-byok,   wallet,     750000",
                "bot-quota,  wallet,     750000",
        })
        void eventBillingModeOverridesTheBots(String botId, String eventMode, long chargeUcents) {
            Rated rated = rated(event().resource(botId).mode(eventMode));
            assertThat(rated.billingMode()).isEqualTo(eventMode);
            assertThat(rated.chargeUcents()).isEqualTo(chargeUcents);
            assertThat(rated.costUcents()).isEqualTo(GPT_4O_1000_500_UCENTS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"bot-wallet", "bot-byok", "bot-quota"})
        void failedMessagesAreNeverCharged(String botId) {
            Rated rated = rated(event().resource(botId).failed());
            assertThat(rated.chargeUcents()).isZero();
            assertThat(rated.capped()).isFalse();
            assertThat(rated.costUcents()).as("still costed for analytics").isEqualTo(GPT_4O_1000_500_UCENTS);
        }

        @Test
        void workersAiModelsCostNothing() {
            Rated rated = rated(event().model("workers-ai", "@cf/meta/llama-3.1-8b-instruct").tokens(50_000, 50_000));
            assertThat(rated.costUcents()).isZero();
            assertThat(rated.chargeUcents()).isZero();
        }

        @Test
        void costIsExactMicroCentsNeverRounded() {
            // 1 input token of gpt-4o = 250 micro-cents ($0.0000025)
            assertThat(rated(event().tokens(1, 0)).chargeUcents()).isEqualTo(250);
            assertThat(rated(event().tokens(3, 1)).chargeUcents()).isEqualTo(3 * 250 + 1000);
        }
    }

    /** RULES.md: each cap cuts an event's charge to what is left; an event charged less than its cost is capped. */
    @Nested
    class SpendingCaps {

        enum Cap {
            LIFETIME, CONVERSATION, DAILY, MONTHLY;

            /** A wallet bot with only this cap, at 1 cent. */
            Bot bot() {
                return cappedBot(this == LIFETIME ? 1L : null, this == CONVERSATION ? 1L : null,
                        this == DAILY ? 1L : null, this == MONTHLY ? 1L : null);
            }
        }

        final Map<String, BotSpend> spends = new HashMap<>();
        final Function<Bot, BotSpend> spendOf = b -> spends.computeIfAbsent(b.botId(), k -> new BotSpend(b));

        Rated rate(Bot bot, RatingFixtures.Ev event) {
            return rated(new Rater(RULES, reference(bot)), event.resource(bot.botId()).build(), spendOf);
        }

        @ParameterizedTest
        @EnumSource(Cap.class)
        void eachCapCutsTheChargeToWhatIsLeftAndMarksItCapped(Cap cap) {
            Bot bot = cap.bot();
            RatingFixtures.Ev sameEvent = event().at("2026-03-10T23:00:00Z").conversation("conv-1");
            assertThat(rate(bot, sameEvent)).isEqualTo(new Rated(OWNER, "wallet", 750_000, 750_000, false));
            assertThat(rate(bot, sameEvent)).as("1 cent cap - 0.75 spent")
                    .isEqualTo(new Rated(OWNER, "wallet", 750_000, 250_000, true));
            assertThat(rate(bot, sameEvent)).as("cap reached")
                    .isEqualTo(new Rated(OWNER, "wallet", 750_000, 0, true));
        }

        @ParameterizedTest(name = "{0} cap: other conversation {1}, next UTC day {2}, next UTC month {3}")
        @CsvSource({
                "LIFETIME,     0,      0,      0",
                "CONVERSATION, 750000, 0,      0",
                "DAILY,        0,      750000, 750000",
                "MONTHLY,      0,      0,      750000",
        })
        void eachCapResetsOnlyWithItsOwnScope(Cap cap, long otherConversation, long nextUtcDay, long nextUtcMonth) {
            Bot bot = cap.bot();
            rate(bot, event().at("2026-03-31T22:00:00Z").conversation("conv-1").tokens(4000, 0)); // exactly 1 cent
            assertThat(rate(bot, event().at("2026-03-31T23:59:59Z").conversation("conv-2")).chargeUcents())
                    .isEqualTo(otherConversation);
            spends.clear();
            rate(bot, event().at("2026-03-30T22:00:00Z").conversation("conv-1").tokens(4000, 0));
            assertThat(rate(bot, event().at("2026-03-31T00:00:00Z").conversation("conv-1")).chargeUcents())
                    .isEqualTo(nextUtcDay);
            spends.clear();
            rate(bot, event().at("2026-03-31T23:59:59.999Z").conversation("conv-1").tokens(4000, 0));
            assertThat(rate(bot, event().at("2026-04-01T00:00:00Z").conversation("conv-1")).chargeUcents())
                    .isEqualTo(nextUtcMonth);
        }

        @Test
        void noCapMeansNoLimit() {
            Rated rated = rate(bot("bot-unlimited", "wallet"), event().tokens(10_000_000, 10_000_000));
            assertThat(rated.chargeUcents()).as("$125.00").isEqualTo(12_500_000_000L);
            assertThat(rated.capped()).isFalse();
            assertThat(spends).as("an uncapped bot keeps no spend record").isEmpty();
        }

        @Test
        void theTightestCapWins() {
            Bot bot = cappedBot(10L, 3L, 2L, 5L);
            long[] charges = new long[4];
            for (int i = 0; i < charges.length; i++) {
                charges[i] = rate(bot, event().tokens(0, 800)).chargeUcents();   // 0.8 cent each
            }
            assertThat(charges).containsExactly(800_000, 800_000, 400_000, 0);    // daily 2 cents
        }

        @Test
        void aZeroCapChargesNothing() {
            assertThat(rate(cappedBot(null, null, 0L, null), event()))
                    .isEqualTo(new Rated(OWNER, "wallet", 750_000, 0, true));
        }

        @Test
        void historyFromEarlierRunsCountsAgainstTheCaps() {
            Bot bot = cappedBot(null, null, 1L, null);
            BotSpend earlier = new BotSpend(bot);
            earlier.addHistory("conv-0", LocalDate.of(2026, 3, 10), 900_000);
            spends.put(bot.botId(), earlier);
            assertThat(rate(bot, event().at("2026-03-10T15:00:00Z")))
                    .isEqualTo(new Rated(OWNER, "wallet", 750_000, 100_000, true));
        }

        @ParameterizedTest(name = "{0} mode, failed {1}")
        @CsvSource({"byok, false", "plan_quota, false", "wallet, true"})
        void onlyChargedEventsUseUpACap(String mode, boolean failed) {
            Bot bot = cappedBot(null, null, 1L, null);
            RatingFixtures.Ev notCharged = event().mode(mode);
            if (failed) {
                notCharged.failed();
            }
            Rated first = rate(bot, notCharged);
            assertThat(first.chargeUcents()).isZero();
            assertThat(first.capped()).as("nothing was due").isFalse();
            assertThat(rate(bot, event().tokens(4000, 0)).chargeUcents()).as("the whole cent is left")
                    .isEqualTo(1_000_000);
        }
    }

    @Nested
    class AgentRuns {

        @ParameterizedTest(name = "billing mode {0}")
        @NullSource
        @ValueSource(strings = {"wallet", "byok", "plan_quota"})
        void chargeIsThePricePerRunWhateverTheModeAndTokenCostIsReported(String mode) {
            Rated rated = rated(event().kind(UsageKind.AGENT_RUN, AGENT.endpointId()).mode(mode));
            assertThat(rated.payerAccountId()).isEqualTo(OWNER);
            assertThat(rated.chargeUcents()).as("25 cents per run").isEqualTo(25_000_000);
            assertThat(rated.costUcents()).as("platform token cost").isEqualTo(GPT_4O_1000_500_UCENTS);
            assertThat(rated.capped()).isFalse();
        }

        @Test
        void failedRunsAreNotCharged() {
            Rated rated = rated(event().kind(UsageKind.AGENT_RUN, AGENT.endpointId()).failed());
            assertThat(rated.chargeUcents()).isZero();
            assertThat(rated.costUcents()).isEqualTo(GPT_4O_1000_500_UCENTS);
        }
    }

    @Nested
    class ToolCalls {

        @ParameterizedTest(name = "billing mode {0}")
        @NullSource
        @ValueSource(strings = {"wallet", "byok"})
        void theCallerPaysTheToolPrice(String mode) {
            Rated rated = rated(event().kind(UsageKind.TOOL_CALL, TOOL.toolId()).mode(mode).model(null, null));
            assertThat(rated.payerAccountId()).as("the caller, not the creator").isEqualTo(OWNER);
            assertThat(rated.chargeUcents()).as("5 cents").isEqualTo(5_000_000);
            assertThat(rated.costUcents()).isEqualTo(5_000_000);
        }

        @Test
        void failedCallsAreNotCharged() {
            assertThat(rated(event().kind(UsageKind.TOOL_CALL, TOOL.toolId()).failed()).chargeUcents()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = UsageKind.class, names = {"API_REQUEST", "GATEWAY_REQUEST", "MCP_PROXY_CALL",
            "LOGIC_ENGINE_CALL", "STORAGE_SNAPSHOT"})
    void countersAreNeverCharged(UsageKind kind) {
        assertThat(rated(event().kind(kind, null).model(null, null).tokens(0, 0)))
                .isEqualTo(new Rated(OWNER, null, 0, 0, false));
    }

    @Nested
    class Rejects {

        @ParameterizedTest
        @EnumSource(UsageKind.class)
        void unknownAccountForEveryKind(UsageKind kind) {
            Rejected rejected = rejected(event().kind(kind, "bot-wallet").account("acct-ghost"));
            assertThat(rejected.reason()).isEqualTo("unknown_account");
            assertThat(rejected.detail()).contains("acct-ghost");
        }

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource({"BOT_MESSAGE, bot-ghost", "AGENT_RUN, agent-ghost", "TOOL_CALL, tool-ghost"})
        void unknownResource(UsageKind kind, String resourceId) {
            Rejected rejected = rejected(event().kind(kind, resourceId));
            assertThat(rejected.reason()).isEqualTo("unknown_resource");
            assertThat(rejected.detail()).contains(resourceId);
        }

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource({"BOT_MESSAGE, bot-others", "AGENT_RUN, agent-2"})
        void resourceOfAnotherAccount(UsageKind kind, String resourceId) {
            Rejected rejected = rejected(event().kind(kind, resourceId));
            assertThat(rejected.reason()).isEqualTo("resource_account_mismatch");
            assertThat(rejected.detail()).contains(resourceId, OTHER, OWNER);
        }

        @ParameterizedTest(name = "{0} {1}/{2} at {3}")
        @CsvSource({
                "BOT_MESSAGE, openai,  gpt-5-imaginary, 2026-03-10T12:00:00Z",
                "BOT_MESSAGE, mistral, mistral-large,   2026-03-10T12:00:00Z",
                "BOT_MESSAGE, openai,  gpt-4o,          2024-12-31T23:59:59Z",
                "AGENT_RUN,   openai,  gpt-5-imaginary, 2026-03-10T12:00:00Z",
        })
        void noPriceAtOccurredAtIsRejectedNeverASilentZero(UsageKind kind, String provider, String model, String at) {
            String resource = kind == UsageKind.AGENT_RUN ? AGENT.endpointId() : "bot-wallet";
            Rejected rejected = rejected(event().kind(kind, resource).model(provider, model).at(at));
            assertThat(rejected.reason()).isEqualTo("unknown_price");
            assertThat(rejected.detail()).contains(provider + "/" + model, at);
        }

        @Test
        void aToolMayBeCalledByAnyAccount() {
            assertThat(rated(event().kind(UsageKind.TOOL_CALL, TOOL.toolId()).account(OTHER)).payerAccountId())
                    .isEqualTo(OTHER);
        }
    }
}
