package tally.ledger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import tally.ledger.UsageDebits.CarryKey;
import tally.ledger.UsageDebits.Group;
import tally.money.CarriedRounding;
import tally.money.Money;
import tally.usage.UsageKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random usage for several wallets, planned by {@link UsageDebits#plan} over two nightly runs and
 * applied to an in-memory double-entry ledger: the control totals of RULES.md hold for every input.
 */
class LedgerProperties {

    /** A group as the planner takes it: one resource's usage on one day and its exact charge. */
    static Group group(String resourceId, UsageKind kind, LocalDate day, long exactUcents, String name, String creator,
                       java.math.BigDecimal feeFraction) {
        return new Group(new UsageDebits.Usage(resourceId, kind, day, name, creator, feeFraction), exactUcents);
    }

    record Resource(String id, UsageKind kind, String creator) {
    }

    static final List<Resource> RESOURCES = List.of(
            new Resource("bot-a", UsageKind.BOT_MESSAGE, null),
            new Resource("bot-b", UsageKind.BOT_MESSAGE, null),
            new Resource("agent-a", UsageKind.AGENT_RUN, null),
            new Resource("tool-a", UsageKind.TOOL_CALL, "creator-1"),
            new Resource("tool-b", UsageKind.TOOL_CALL, "creator-2"));
    static final List<BigDecimal> FEES = List.of(new BigDecimal("0.20"), new BigDecimal("0.15"),
            new BigDecimal("0.125"), BigDecimal.ZERO);
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 3, 1);
    static final List<LocalDate> ARRIVALS = List.of(LocalDate.of(2026, 4, 11), LocalDate.of(2026, 4, 12));

    /** One (resource, usage day)'s exact charge, arriving in run 0 or run 1 (late data may split a day). */
    record Usage(int resource, int dayOffset, long exactUcents, int fee, int run) {
    }

    record WalletCase(long openingCents, List<Usage> usage) {
    }

    @Provide
    Arbitrary<List<WalletCase>> wallets() {
        Arbitrary<Long> exact = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 3_000_000),              // fractions of a cent to 3 cents
                Arbitraries.longs().between(0, 400_000_000),            // up to $4
                Arbitraries.longs().between(0, 500).map(Money::centsToUcents));
        Arbitrary<Usage> usage = Combinators.combine(
                Arbitraries.integers().between(0, RESOURCES.size() - 1),
                Arbitraries.integers().between(0, 40),                  // March into April
                exact,
                Arbitraries.integers().between(0, FEES.size() - 1),
                Arbitraries.integers().between(0, 1)).as(Usage::new);
        Arbitrary<WalletCase> wallet = Combinators.combine(
                Arbitraries.longs().between(0, 3_000),
                usage.list().ofMaxSize(30)).as(WalletCase::new);
        return wallet.list().ofMinSize(1).ofMaxSize(4);
    }

    /** The in-memory ledger: balances by ledger account, and every transaction written. */
    static final class Ledger {
        final Map<String, Long> balances = new HashMap<>();
        final List<LedgerTxn> txns = new ArrayList<>();

        void post(LedgerTxn txn) {
            assertThat(txn.legs().stream().mapToLong(LedgerTxn.Leg::amountCents).sum())
                    .as("legs of %s", txn.txnId()).isZero();
            txns.add(txn);
            for (LedgerTxn.Leg leg : txn.legs()) {
                long after = balances.merge(leg.ledgerAccount(), leg.amountCents(), Long::sum);
                if (leg.ledgerAccount().startsWith(LedgerAccounts.WALLET_PREFIX)) {
                    assertThat(after).as("%s after %s", leg.ledgerAccount(), txn.txnId()).isNotNegative();
                }
            }
        }

        long balance(String ledgerAccount) {
            return balances.getOrDefault(ledgerAccount, 0L);
        }
    }

    /** What the test expects, accumulated independently of the ledger. */
    static final class Expected {
        final Map<String, Long> exactUcentsByCarry = new HashMap<>();   // wallet|resource|month
        final Map<String, Long> chargedCentsByCarry = new HashMap<>();
        final Map<String, Long> creatorNet = new HashMap<>();
        long charged;
        long collected;
        long uncollected;
        long fees;
        long usageRevenue;
        long toolUncollected;
    }

    @Property(tries = 200)
    void ledgerControlTotalsHold(@ForAll("wallets") List<WalletCase> wallets) {
        Ledger ledger = new Ledger();
        Expected expected = new Expected();
        Map<String, Map<CarryKey, CarriedRounding>> carriesByWallet = new HashMap<>();
        Map<String, Long> openings = new HashMap<>();

        for (int w = 0; w < wallets.size(); w++) {
            String account = "acct-" + w;
            long opening = wallets.get(w).openingCents();
            openings.put(account, opening);
            ledger.post(new LedgerTxn("opening:" + account, account, TxnType.DEPOSIT, opening, "Opening balance",
                    FIRST_DAY, "import", null, null, null, null, null, List.of(
                    new LedgerTxn.Leg(LedgerAccounts.wallet(account), opening),
                    new LedgerTxn.Leg(LedgerAccounts.EQUITY_OPENING_BALANCES, -opening))));
        }

        for (int run = 0; run < ARRIVALS.size(); run++) {
            LocalDate arrival = ARRIVALS.get(run);
            Map<String, long[]> collectedByToolDay = new java.util.TreeMap<>(); // tool|day -> {collected, fee}
            Map<String, UsageDebits.Usage> tools = new HashMap<>();
            for (int w = 0; w < wallets.size(); w++) {
                String account = "acct-" + w;
                List<Group> groups = groupsOf(wallets.get(w).usage(), run);
                long balanceBefore = ledger.balance(LedgerAccounts.wallet(account));
                Map<CarryKey, CarriedRounding> carries = carriesByWallet.computeIfAbsent(account, k -> new HashMap<>());
                UsageDebits.Plan plan = UsageDebits.plan(account, balanceBefore, groups, carries, arrival, "run-" + run);
                plan.txns().forEach(ledger::post);
                assertThat(ledger.balance(LedgerAccounts.wallet(account))).isEqualTo(plan.balanceAfterCents());
                expect(expected, account, groups, plan);
                groups.stream().filter(g -> g.usage().kind() == UsageKind.TOOL_CALL).forEach(g -> tools.put(g.usage().resourceId(), g.usage()));
                for (UsageDebits.ToolCollected t : plan.toolsCollected()) {
                    long[] sum = collectedByToolDay.computeIfAbsent(t.toolId() + "|" + t.usageDate(), k -> new long[2]);
                    sum[0] += t.collectedCents();
                    sum[1] += t.feeCents();
                }
            }
            // the run's creator earnings: one per (tool, usage day), as CreatorEarnings posts them
            for (Map.Entry<String, long[]> e : collectedByToolDay.entrySet()) {
                UsageDebits.Usage tool = tools.get(e.getKey().substring(0, e.getKey().indexOf('|')));
                LocalDate day = LocalDate.parse(e.getKey().substring(e.getKey().indexOf('|') + 1));
                ledger.post(UsageDebits.earning(PostingIds.toolEarning(tool.resourceId(), day, arrival), tool.creatorAccountId(),
                        tool.resourceId(), tool.resourceName(), day, e.getValue()[0], e.getValue()[1], null, "run-" + run, arrival));
            }
        }

        Statistics.label("some debit uncollected").collect(expected.uncollected > 0);
        Statistics.label("creator earnings").collect(!expected.creatorNet.isEmpty());
        Statistics.label("some debit uncollected").coverage(c -> c.check(true).percentage(p -> p > 20));
        Statistics.label("creator earnings").coverage(c -> c.check(true).percentage(p -> p > 50));

        // every transaction balances, so the whole ledger sums to zero
        assertThat(ledger.balances.values().stream().mapToLong(Long::longValue).sum()).isZero();

        for (String account : openings.keySet()) {
            long wallet = ledger.balance(LedgerAccounts.wallet(account));
            long ownTxns = ledger.txns.stream().filter(t -> t.accountId().equals(account))
                    .filter(t -> t.type() == TxnType.DEPOSIT || t.type() == TxnType.DEBIT)
                    .mapToLong(LedgerTxn::amountCents).sum();
            assertThat(wallet).as("wallet %s = sum of its transactions", account).isEqualTo(ownTxns).isNotNegative();
            long uncollected = debitsOf(ledger, account).mapToLong(d -> d.debit().uncollectedCents()).sum();
            assertThat(ledger.balance(LedgerAccounts.receivable(account))).isEqualTo(-uncollected);
        }

        // charges computed = collected + uncollected, per debit and in total
        for (LedgerTxn debit : ledger.txns.stream().filter(t -> t.type() == TxnType.DEBIT).toList()) {
            LedgerTxn.DebitAmounts d = debit.debit();
            assertThat(d.chargeCents()).isEqualTo(d.collectedCents() + d.uncollectedCents());
            assertThat(debit.amountCents()).isEqualTo(-d.collectedCents());
        }
        assertThat(expected.charged).isEqualTo(expected.collected + expected.uncollected);
        long openingTotal = openings.values().stream().mapToLong(Long::longValue).sum();
        long walletTotal = openings.keySet().stream().mapToLong(a -> ledger.balance(LedgerAccounts.wallet(a))).sum();
        assertThat(openingTotal - walletTotal).as("collected from wallets").isEqualTo(expected.collected);

        // carried rounding: each (wallet, resource, month) was charged its rounded exact total
        expected.exactUcentsByCarry.forEach((key, exact) ->
                assertThat(expected.chargedCentsByCarry.get(key)).as(key).isEqualTo(Money.roundToCents(exact)));

        // creator earnings = fee complement of collected tool charges; the platform keeps the fees
        for (Resource tool : RESOURCES.stream().filter(r -> r.creator() != null).toList()) {
            long earned = ledger.txns.stream().filter(t -> t.type() == TxnType.EARNING)
                    .filter(t -> t.accountId().equals(tool.creator())).mapToLong(LedgerTxn::amountCents).sum();
            long expectedNet = expected.creatorNet.getOrDefault(tool.creator(), 0L);
            assertThat(earned).isEqualTo(expectedNet);
            assertThat(ledger.balance(LedgerAccounts.creatorPayable(tool.creator()))).isEqualTo(expectedNet);
        }
        assertThat(ledger.balance(LedgerAccounts.REVENUE_MARKETPLACE_FEE)).isEqualTo(expected.fees);
        assertThat(ledger.balance(LedgerAccounts.REVENUE_USAGE)).isEqualTo(expected.usageRevenue);
        assertThat(ledger.balance(LedgerAccounts.CLEARING_MARKETPLACE)).as("tool charges never collected")
                .isEqualTo(expected.toolUncollected);
    }

    /** A run's groups of one wallet: merged per (resource, usage day), in (usage day, resource id) order. */
    static List<Group> groupsOf(List<Usage> usage, int run) {
        Map<String, Group> byKey = new TreeMap<>();
        for (Usage u : usage.stream().filter(u -> u.run() == run).toList()) {
            Resource r = RESOURCES.get(u.resource());
            LocalDate day = FIRST_DAY.plusDays(u.dayOffset());
            byKey.merge(day + "|" + r.id(), group(r.id(), r.kind(), day, u.exactUcents(), r.id(), r.creator(),
                            r.creator() == null ? null : FEES.get(u.fee())),
                    (a, b) -> group(a.usage().resourceId(), a.usage().kind(), a.usage().usageDate(), a.exactUcents() + b.exactUcents(),
                            a.usage().resourceName(), a.usage().creatorAccountId(), a.usage().feeFraction()));
        }
        List<Group> groups = new ArrayList<>(byKey.values());
        groups.sort(Comparator.comparing((Group x) -> x.usage().usageDate()).thenComparing(x -> x.usage().resourceId()));
        return groups;
    }

    /** Expectations from the groups and the debits planned for them (one debit per group, in order). */
    static void expect(Expected e, String account, List<Group> groups, UsageDebits.Plan plan) {
        List<LedgerTxn> debits = plan.txns().stream().filter(t -> t.type() == TxnType.DEBIT).toList();
        assertThat(debits).hasSameSizeAs(groups);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            LedgerTxn.DebitAmounts d = debits.get(i).debit();
            String carry = account + "|" + g.usage().resourceId() + "|" + YearMonth.from(g.usage().usageDate());
            e.exactUcentsByCarry.merge(carry, g.exactUcents(), Long::sum);
            e.chargedCentsByCarry.merge(carry, d.chargeCents(), Long::sum);
            e.charged += d.chargeCents();
            e.collected += d.collectedCents();
            e.uncollected += d.uncollectedCents();
            if (g.usage().kind() == UsageKind.TOOL_CALL) {
                long fee = Money.feeCents(d.collectedCents(), g.usage().feeFraction());
                e.fees += fee;
                e.creatorNet.merge(g.usage().creatorAccountId(), d.collectedCents() - fee, Long::sum);
                e.toolUncollected += d.uncollectedCents();
            } else {
                e.usageRevenue += d.chargeCents();
            }
        }
    }

    static Stream<LedgerTxn> debitsOf(Ledger ledger, String account) {
        return ledger.txns.stream().filter(t -> t.type() == TxnType.DEBIT && t.accountId().equals(account));
    }
}
