package tally.invoicing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.infra.TallyConfig.TallySettings;
import tally.plans.Counter;
import tally.plans.Invoice;
import tally.plans.InvoiceLine;
import tally.plans.MonthBill;
import tally.plans.MonthlyUsage;
import tally.plans.PackagePurchase;
import tally.plans.PlanCatalog;
import tally.plans.PlanCatalogLoader;
import tally.plans.Subscription;
import tally.reference.Account;
import tally.reference.ReferenceData;
import tally.rules.RulesLoader;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issues the invoices of one month: for every account whose subscription had begun and that has no
 * invoice for the month yet, its {@link MonthBill} plus late adjustments for the months before that
 * were already invoiced, and its wallet usage. Runs in the caller's transaction.
 */
@Component
public class MonthClose {

    private static final Logger log = LoggerFactory.getLogger(MonthClose.class);

    /**
     * How many earlier months a close looks back for late usage: events are accepted up to 35 days
     * after they occurred (RULES.md), so they can only land in the two months before.
     */
    public static final int LATE_LOOKBACK_MONTHS = 2;

    private final JdbcTemplate jdbc;
    private final UsageAggregation aggregation;
    private final InvoiceStore store;
    private final TallySettings settings;

    public MonthClose(JdbcTemplate jdbc, UsageAggregation aggregation, InvoiceStore store, TallySettings settings) {
        this.jdbc = jdbc;
        this.aggregation = aggregation;
        this.store = store;
        this.settings = settings;
    }

    /** A month of the past whose invoices may need late adjustments. */
    private record PastMonth(YearMonth month, Set<String> invoiced, Map<String, MonthlyUsage> usage,
                             Map<String, Map<Counter, MonthBill.Billed>> billed) {
    }

    /** Returns the number of invoices issued now. */
    public int close(YearMonth month, String runId) {
        PlanCatalog catalog = PlanCatalogLoader.load(settings.rulesDir());
        String rulesVersion = RulesLoader.load(settings.rulesDir()).version();
        List<Account> accounts = ReferenceData.load(jdbc).accounts().values().stream()
                .sorted(Comparator.comparing(Account::accountId)).toList();
        Set<String> invoiced = store.invoicedAccounts(month);
        Map<String, MonthlyUsage> usage = aggregation.monthly(month, null);
        Map<String, List<PackagePurchase>> purchases = aggregation.purchases(null);
        Map<String, Invoice.WalletUsage> wallets = aggregation.walletUsage(month);
        List<PastMonth> past = new ArrayList<>();
        for (int k = LATE_LOOKBACK_MONTHS; k >= 1; k--) { // oldest first: late lines in month order
            YearMonth earlier = month.minusMonths(k);
            Set<String> invoicedThen = store.invoicedAccounts(earlier);
            if (!invoicedThen.isEmpty()) {
                past.add(new PastMonth(earlier, invoicedThen, aggregation.monthly(earlier, null),
                        store.billedOverage(earlier)));
            }
        }
        int issued = 0;
        for (Account account : accounts) {
            if (invoiced.contains(account.accountId()) || !Subscription.of(account).startedBy(month)) {
                continue;
            }
            List<PackagePurchase> bought = purchases.getOrDefault(account.accountId(), List.of());
            MonthBill bill = MonthBill.of(account, month, usage.getOrDefault(account.accountId(), MonthlyUsage.NONE),
                    bought, catalog);
            List<InvoiceLine> late = new ArrayList<>();
            for (PastMonth then : past) {
                if (then.invoiced().contains(account.accountId())) {
                    late.addAll(MonthBill.of(account, then.month(), then.usage().getOrDefault(account.accountId(),
                            MonthlyUsage.NONE), bought, catalog).lateLines(month, then.billed().getOrDefault(
                            account.accountId(), Map.of())));
                }
            }
            Invoice invoice = bill.invoice(late, wallets.getOrDefault(account.accountId(), new Invoice.WalletUsage(0, 0)));
            issued += store.issue(invoice, rulesVersion, runId) ? 1 : 0;
        }
        log.info("{}: {} invoices issued ({} accounts, {} already invoiced)", runId, issued, accounts.size(), invoiced.size());
        return issued;
    }
}
