package tally.plans;

import org.junit.jupiter.api.Test;
import tally.reference.Account;
import tally.testing.Cli;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Plan fees, packages, overage switches and late lines, against the real rating-rules catalogs. */
class MonthBillTest {

    static final PlanCatalog CATALOG = PlanCatalogLoader.load(Cli.RULES);
    static final YearMonth MARCH = YearMonth.of(2026, 3);

    static Account aerostack(String tier, String interval, LocalDate periodStart, boolean cancel) {
        return new Account("a", "aerostack", tier, interval, periodStart, cancel, false, false, false, false);
    }

    static Account agentstack(String tier, boolean overage, boolean logicEngine, boolean apiCalls) {
        return new Account("a", "agentstack", tier, "monthly", LocalDate.of(2026, 1, 1), false, overage, logicEngine,
                apiCalls, false);
    }

    static MonthlyUsage api(long calls) {
        return new MonthlyUsage(calls, 0, 0, 0, 0, 0);
    }

    static MonthlyUsage logicEngine(long calls) {
        return new MonthlyUsage(0, 0, 0, 0, calls, 0);
    }

    static MonthBill bill(Account account, YearMonth month, MonthlyUsage usage, PackagePurchase... purchases) {
        return MonthBill.of(account, month, usage, List.of(purchases), CATALOG);
    }

    static Assessment counter(MonthBill bill, Counter counter) {
        return bill.counters().stream().filter(a -> a.counter() == counter).findFirst().orElseThrow();
    }

    @Test
    void monthlyFeeEveryMonthFromPeriodStart() {
        Account pro = aerostack("pro", "monthly", LocalDate.of(2026, 1, 31), false);
        assertThat(bill(pro, MARCH, MonthlyUsage.NONE).lines()).singleElement().satisfies(line -> {
            assertThat(line.type()).isEqualTo(LineType.PLAN_FEE);
            assertThat(line.amountCents()).isEqualTo(4900);
            assertThat(line.description()).isEqualTo("Aerostack Pro plan, monthly: 2026-03-31 to 2026-04-29");
            assertThat(line.lineId()).isEqualTo("inv:a:2026-03/plan_fee:2026-03-31");
        });
    }

    @Test
    void yearlyFeeOnlyAtTheStartOfEachYearlyPeriod() {
        Account starter = aerostack("starter", "yearly", LocalDate.of(2025, 3, 15), false);
        assertThat(bill(starter, MARCH, MonthlyUsage.NONE).lines()).singleElement()
                .satisfies(line -> assertThat(line.amountCents()).isEqualTo(17_100)); // 12 x 19.00 x 0.75
        assertThat(bill(starter, YearMonth.of(2026, 4), MonthlyUsage.NONE).lines()).isEmpty();
        assertThat(bill(starter, YearMonth.of(2026, 2), MonthlyUsage.NONE).lines()).isEmpty();
        assertThat(bill(starter, YearMonth.of(2027, 3), MonthlyUsage.NONE).lines()).hasSize(1);
    }

    @Test
    void cancellationTakesEffectAtPeriodEndThenFree() {
        Account business = aerostack("business", "monthly", LocalDate.of(2026, 2, 1), true);
        MonthBill february = bill(business, YearMonth.of(2026, 2), api(60_000));
        assertThat(february.plan().tier()).isEqualTo("business");
        assertThat(february.lines()).singleElement().satisfies(l -> assertThat(l.amountCents()).isEqualTo(14_900));
        assertThat(counter(february, Counter.API_REQUESTS).status()).isEqualTo(QuotaStatus.OK);

        MonthBill march = bill(business, MARCH, api(60_000));
        assertThat(march.plan().tier()).isEqualTo("free");
        assertThat(march.lines()).isEmpty();
        assertThat(counter(march, Counter.API_REQUESTS).status()).isEqualTo(QuotaStatus.BLOCKED); // Free: hard 55,000
    }

    @Test
    void cancellationMidMonthKeepsThatMonthOnThePlanWithoutANewFee() {
        Account yearly = aerostack("pro", "yearly", LocalDate.of(2025, 3, 15), true);
        MonthBill march = bill(yearly, MARCH, MonthlyUsage.NONE);
        assertThat(march.plan().tier()).isEqualTo("pro");
        assertThat(march.lines()).isEmpty();
        assertThat(bill(yearly, YearMonth.of(2026, 4), MonthlyUsage.NONE).plan().tier()).isEqualTo("free");
    }

    @Test
    void unlimitedTiersAndCustomPrice() {
        MonthBill enterprise = bill(aerostack("enterprise", "monthly", LocalDate.of(2026, 3, 1), false), MARCH,
                new MonthlyUsage(Long.MAX_VALUE / 2, 1L << 40, 1L << 40, 1L << 40, 0, 1L << 50));
        assertThat(enterprise.counters()).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(QuotaStatus.OK);
            assertThat(a.limit()).isNull();
        });
        assertThat(enterprise.lines()).singleElement().satisfies(line -> {
            assertThat(line.amountCents()).isZero();
            assertThat(line.description()).contains("custom contract");
        });
        Account agentEnterprise = new Account("a", "agentstack", "enterprise", "monthly", LocalDate.of(2026, 1, 1), false,
                true, true, true, true);
        assertThat(bill(agentEnterprise, MARCH, api(1L << 40)).counters())
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(QuotaStatus.OK));
    }

    @Test
    void overageNeedsTheGlobalSwitchAndTheCounterSwitch() {
        MonthlyUsage over = new MonthlyUsage(250_000, 0, 0, 0, 60_000, 0);
        MonthBill both = bill(agentstack("starter", true, true, true), MARCH, over);
        assertThat(counter(both, Counter.API_CALLS).status()).isEqualTo(QuotaStatus.OVERAGE);
        assertThat(counter(both, Counter.API_CALLS).overageCents()).isEqualTo(2500); // 50,000 x $0.50/1000
        assertThat(counter(both, Counter.LOGIC_ENGINE_CALLS).overageCents()).isEqualTo(1000); // 10,000 x $1/1000

        MonthBill globalOff = bill(agentstack("starter", false, true, true), MARCH, over);
        assertThat(globalOff.counters()).filteredOn(a -> a.counter() != Counter.STORAGE_BYTES)
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(QuotaStatus.BLOCKED));
        assertThat(globalOff.lines()).extracting(InvoiceLine::type).doesNotContain(LineType.OVERAGE);

        MonthBill apiOff = bill(agentstack("starter", true, true, false), MARCH, over);
        assertThat(counter(apiOff, Counter.API_CALLS).status()).isEqualTo(QuotaStatus.BLOCKED);
        assertThat(counter(apiOff, Counter.API_CALLS).overageCents()).isZero();
        assertThat(counter(apiOff, Counter.LOGIC_ENGINE_CALLS).status()).isEqualTo(QuotaStatus.OVERAGE);
    }

    @Test
    void agentStackHasNoGrace() {
        MonthBill b = bill(agentstack("free", false, false, false), MARCH, api(50_001));
        assertThat(counter(b, Counter.API_CALLS).status()).isEqualTo(QuotaStatus.BLOCKED);
    }

    @Test
    void expansionCapacityCountsFromThePurchaseMonthOnAndIsChargedOnce() {
        Account starter = agentstack("starter", false, false, false);
        PackagePurchase small = new PackagePurchase("a", "logic_engine_small", LocalDate.of(2026, 3, 31), null);
        assertThat(counter(bill(starter, YearMonth.of(2026, 2), logicEngine(55_000), small),
                Counter.LOGIC_ENGINE_CALLS).status()).isEqualTo(QuotaStatus.BLOCKED);

        MonthBill march = bill(starter, MARCH, logicEngine(55_000), small);
        assertThat(counter(march, Counter.LOGIC_ENGINE_CALLS).limit()).isEqualTo(60_000);
        assertThat(counter(march, Counter.LOGIC_ENGINE_CALLS).status()).isEqualTo(QuotaStatus.OK);
        assertThat(march.lines()).filteredOn(l -> l.type() == LineType.PACKAGE).singleElement()
                .satisfies(l -> assertThat(l.amountCents()).isEqualTo(500));

        MonthBill april = bill(starter, YearMonth.of(2026, 4), logicEngine(55_000), small);
        assertThat(counter(april, Counter.LOGIC_ENGINE_CALLS).limit()).isEqualTo(60_000);
        assertThat(april.lines()).extracting(InvoiceLine::type).doesNotContain(LineType.PACKAGE);
    }

    @Test
    void storagePackagesAreChargedEachMonthTheyAreActive() {
        Account basic = agentstack("basic", false, false, false);
        PackagePurchase tenGb = new PackagePurchase("a", "storage_10gb", LocalDate.of(2026, 2, 20), LocalDate.of(2026, 4, 10));
        for (YearMonth month : List.of(YearMonth.of(2026, 2), MARCH, YearMonth.of(2026, 4))) {
            MonthBill b = bill(basic, month, MonthlyUsage.NONE, tenGb);
            assertThat(counter(b, Counter.STORAGE_BYTES).limit()).isEqualTo(11_000_000_000L);
            assertThat(b.lines()).filteredOn(l -> l.type() == LineType.PACKAGE).singleElement()
                    .satisfies(l -> assertThat(l.amountCents()).isEqualTo(90));
        }
        MonthBill may = bill(basic, YearMonth.of(2026, 5), MonthlyUsage.NONE, tenGb);
        assertThat(counter(may, Counter.STORAGE_BYTES).limit()).isEqualTo(1_000_000_000L);
        assertThat(may.lines()).extracting(InvoiceLine::type).doesNotContain(LineType.PACKAGE);
    }

    @Test
    void lateLinesSettleTheDifferenceWithWhatWasInvoiced() {
        Account pro = agentstack("pro", true, true, true);
        MonthBill now = bill(pro, MARCH, api(2_101_000));
        List<InvoiceLine> late = now.lateLines(YearMonth.of(2026, 4),
                Map.of(Counter.API_CALLS, new MonthBill.Billed(100_000, 5000)));
        assertThat(late).singleElement().satisfies(line -> {
            assertThat(line.type()).isEqualTo(LineType.LATE_ADJUSTMENT);
            assertThat(line.quantity()).isEqualTo(1_000);
            assertThat(line.amountCents()).isEqualTo(50);
            assertThat(line.lineId()).isEqualTo("inv:a:2026-04/late:2026-03:api_calls");
        });
        List<InvoiceLine> credit = bill(pro, MARCH, api(2_000_000)).lateLines(YearMonth.of(2026, 4),
                Map.of(Counter.API_CALLS, new MonthBill.Billed(100_000, 5000)));
        assertThat(credit).singleElement().satisfies(line -> {
            assertThat(line.type()).isEqualTo(LineType.CREDIT);
            assertThat(line.amountCents()).isEqualTo(-5000);
        });
        assertThat(now.lateLines(YearMonth.of(2026, 4), Map.of(Counter.API_CALLS, new MonthBill.Billed(101_000, 5050))))
                .isEmpty();
    }
}
