package tally.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tally.ledger.LedgerTxn.DebitAmounts;
import tally.ledger.LedgerTxn.Leg;
import tally.ledger.UsageDebits.CarryKey;
import tally.ledger.UsageDebits.Group;
import tally.ledger.UsageDebits.Plan;
import tally.money.CarriedRounding;
import tally.money.Money;
import tally.usage.UsageKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Planning one wallet's usage debits: collected = min(balance, charge), the rest uncollected. */
class UsageDebitsTest {

    /** A group as the planner takes it: one resource's usage on one day and its exact charge. */
    static Group group(String resourceId, UsageKind kind, LocalDate day, long exactUcents, String name, String creator,
                       java.math.BigDecimal feeFraction) {
        return new Group(new UsageDebits.Usage(resourceId, kind, day, name, creator, feeFraction), exactUcents);
    }

    static final String PAYER = "acct-payer";
    static final String CREATOR = "acct-creator";
    static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
    static final LocalDate ARRIVAL = LocalDate.of(2026, 3, 2);
    static final String RUN = "run-2026-03-02";
    static final BigDecimal TWENTY_PERCENT = new BigDecimal("0.20");

    final Map<CarryKey, CarriedRounding> carries = new HashMap<>();

    static Group bot(String botId, LocalDate day, long exactUcents) {
        return group(botId, UsageKind.BOT_MESSAGE, day, exactUcents, "Support bot", null, null);
    }

    static Group tool(LocalDate day, long exactUcents, BigDecimal feeFraction) {
        return group("tool-1", UsageKind.TOOL_CALL, day, exactUcents, "Web search", CREATOR, feeFraction);
    }

    static long cents(long cents) {
        return Money.centsToUcents(cents);
    }

    Plan plan(long balanceCents, Group... groups) {
        return UsageDebits.plan(PAYER, balanceCents, List.of(groups), carries, ARRIVAL, RUN);
    }

    static List<LedgerTxn> debits(Plan plan) {
        return plan.txns().stream().filter(t -> t.type() == TxnType.DEBIT).toList();
    }

    @Test
    void aWalletThatCoversTheChargePaysItAll() {
        Plan plan = plan(1000, bot("bot-1", MAR_1, cents(250)));
        assertThat(plan.balanceAfterCents()).isEqualTo(750);
        assertThat(plan.txns()).singleElement().satisfies(debit -> {
            assertThat(debit.txnId()).isEqualTo("debit:acct-payer:bot-1:2026-03-01:2026-03-02");
            assertThat(debit.accountId()).isEqualTo(PAYER);
            assertThat(debit.type()).isEqualTo(TxnType.DEBIT);
            assertThat(debit.amountCents()).isEqualTo(-250);
            assertThat(debit.description()).isEqualTo("Bot conversations: Support bot");
            assertThat(debit.effectiveDate()).as("the usage day").isEqualTo(MAR_1);
            assertThat(debit.runDate()).isEqualTo(ARRIVAL);
            assertThat(debit.runId()).isEqualTo(RUN);
            assertThat(debit.usageMonth()).isEqualTo(MAR_1);
            assertThat(debit.debit()).isEqualTo(new DebitAmounts(cents(250), 250, 250, 0));
            assertThat(debit.legs()).containsExactly(new Leg("wallet:acct-payer", -250), new Leg("revenue:usage", 250));
        });
    }

    @ParameterizedTest(name = "balance {0}, charge {1}: collected {2}, uncollected {3}")
    @CsvSource({
            "1000, 250, 250, 0",
            "250,  250, 250, 0",
            "249,  250, 249, 1",
            "100,  250, 100, 150",
            "0,    250, 0,   250",
    })
    void collectsWhatTheBalanceHoldsAndRecordsTheRestUncollected(long balance, long charge, long collected,
                                                                 long uncollected) {
        Plan plan = plan(balance, bot("bot-1", MAR_1, cents(charge)));
        LedgerTxn debit = plan.txns().get(0);
        assertThat(debit.debit()).isEqualTo(new DebitAmounts(cents(charge), charge, collected, uncollected));
        assertThat(debit.amountCents()).isEqualTo(-collected);
        assertThat(debit.legs()).contains(new Leg("wallet:acct-payer", -collected), new Leg("revenue:usage", charge));
        assertThat(debit.legs().stream().filter(l -> l.ledgerAccount().equals("receivable:acct-payer"))
                .mapToLong(Leg::amountCents).sum()).isEqualTo(-uncollected);
        assertThat(plan.balanceAfterCents()).isEqualTo(balance - collected).isNotNegative();
    }

    @Test
    void theOrderOfGroupsDecidesWhichDebitGoesUncollected() {
        Group a = bot("bot-a", MAR_1, cents(200));
        Group b = bot("bot-b", MAR_1, cents(200));
        assertThat(debits(plan(300, a, b))).extracting(LedgerTxn::resourceId, LedgerTxn::debit).containsExactly(
                tuple("bot-a", new DebitAmounts(cents(200), 200, 200, 0)),
                tuple("bot-b", new DebitAmounts(cents(200), 200, 100, 100)));
        carries.clear();
        assertThat(debits(plan(300, b, a))).extracting(LedgerTxn::resourceId, LedgerTxn::debit).containsExactly(
                tuple("bot-b", new DebitAmounts(cents(200), 200, 200, 0)),
                tuple("bot-a", new DebitAmounts(cents(200), 200, 100, 100)));
    }

    @Test
    void aPaidToolCallReportsWhatItCollectedAndTheFeeForItsCreatorsEarning() {
        Plan plan = plan(1000, tool(MAR_1, cents(250), TWENTY_PERCENT));
        LedgerTxn debit = plan.txns().get(0);
        assertThat(plan.txns()).as("the run posts earnings per tool and day, not per debit").singleElement();
        assertThat(debit.description()).isEqualTo("Tool calls: Web search");
        assertThat(debit.legs()).containsExactly(new Leg("wallet:acct-payer", -250), new Leg("clearing:marketplace", 250));
        assertThat(plan.toolsCollected()).containsExactly(new UsageDebits.ToolCollected("tool-1", MAR_1, 250, 50));
    }

    @Test
    void anEarningMovesCollectedMoneyFromClearingToTheCreatorLessTheFee() {
        LedgerTxn earning = UsageDebits.earning(PostingIds.toolEarning("tool-1", MAR_1, ARRIVAL), CREATOR, "tool-1",
                "Web search", MAR_1, 250, 50, null, RUN, ARRIVAL);
        assertThat(earning.txnId()).isEqualTo("earning:tool:tool-1:2026-03-01:2026-03-02");
        assertThat(earning.type()).isEqualTo(TxnType.EARNING);
        assertThat(earning.accountId()).isEqualTo(CREATOR);
        assertThat(earning.amountCents()).isEqualTo(200);
        assertThat(earning.description()).isEqualTo("Tool earnings: Web search");
        assertThat(earning.effectiveDate()).isEqualTo(MAR_1);
        assertThat(earning.legs()).containsExactly(new Leg("clearing:marketplace", -250),
                new Leg("payable:creator:acct-creator", 200), new Leg("revenue:marketplace_fee", 50));
    }

    @ParameterizedTest(name = "balance {0}, charge {1}, fee {2}: creator earns {3}, fee {4}")
    @CsvSource({
            "1000, 250, 0.20, 200, 50",
            "55,   250, 0.20, 44,  11",   // only what was collected: 55 - 11
            "7,    250, 0.20, 6,   1",    // fee 1.4 -> 1
            "15,   250, 0.10, 13,  2",    // fee 1.5 -> 2 (half-even)
            "25,   250, 0.10, 23,  2",    // fee 2.5 -> 2 (half-even)
            "1,    250, 0.20, 1,   0",    // fee 0.2 -> 0
            "1000, 250, 0,    250, 0",
    })
    void creatorEarnsTheFeeComplementOfWhatWasCollected(long balance, long charge, String fee, long net, long feeCents) {
        Plan plan = plan(balance, tool(MAR_1, cents(charge), new BigDecimal(fee)));
        UsageDebits.ToolCollected collected = plan.toolsCollected().get(0);
        assertThat(collected.collectedCents() - collected.feeCents()).isEqualTo(net);
        assertThat(collected.feeCents()).isEqualTo(feeCents);
    }

    @Test
    void nothingCollectedMeansNoEarning() {
        Plan plan = plan(0, tool(MAR_1, cents(250), TWENTY_PERCENT));
        assertThat(plan.toolsCollected()).isEmpty();
        assertThat(plan.txns()).singleElement().satisfies(debit -> {
            assertThat(debit.debit()).isEqualTo(new DebitAmounts(cents(250), 250, 0, 250));
            assertThat(debit.legs()).containsExactly(new Leg("wallet:acct-payer", 0),
                    new Leg("receivable:acct-payer", -250), new Leg("clearing:marketplace", 250));
        });
    }

    @Test
    void debitsUseCarriedRoundingPerResourceAndMonth() {
        Plan plan = plan(1000,
                bot("bot-1", MAR_1, 400_000), bot("bot-2", MAR_1, 600_000),
                bot("bot-1", MAR_1.plusDays(1), 400_000), bot("bot-2", MAR_1.plusDays(1), 600_000),
                bot("bot-1", MAR_1.plusDays(2), 400_000),
                bot("bot-1", LocalDate.of(2026, 4, 1), 400_000));
        assertThat(plan.txns()).extracting(t -> t.debit().chargeCents())
                .containsExactly(0L, 1L,      // 0.4 -> 0; 0.6 -> 1
                        1L, 0L,               // bot-1 0.8 -> 1; bot-2 1.2 -> 1
                        0L,                   // bot-1 1.2 -> 1
                        0L);                  // April starts its own carry: 0.4 -> 0
        assertThat(carries.get(new CarryKey("bot-1", YearMonth.of(2026, 3))).postedCents()).isEqualTo(1);
        assertThat(carries.get(new CarryKey("bot-1", YearMonth.of(2026, 4))).exactUcents()).isEqualTo(400_000);
    }

    @Test
    void carryResumesFromEarlierRunsOfTheMonth() {
        carries.put(new CarryKey("bot-1", YearMonth.of(2026, 3)), new CarriedRounding(1_300_000, 1));
        assertThat(plan(1000, bot("bot-1", MAR_1, 700_000)).txns().get(0).debit().chargeCents())
                .as("round(2.0) - 1").isEqualTo(1);
    }

    @Test
    void agentRunsAreDescribedAsAgentExecutions() {
        Group run = group("agent-1", UsageKind.AGENT_RUN, MAR_1, cents(25), "Research agent", null, null);
        assertThat(plan(1000, run).txns().get(0).description()).isEqualTo("Agent executions: Research agent");
    }

    @Test
    void counterUsageIsNeverDebited() {
        Group counter = group("proj-1", UsageKind.API_REQUEST, MAR_1, cents(1), "Project", null, null);
        assertThatThrownBy(() -> plan(1000, counter)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api_request".toUpperCase());
    }
}
