package tally.plans;

import tally.reference.Account;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one account owes for one month under its plan (RULES.md, Plans): the plan fee of a billing
 * period starting in the month, packages, and overage; with each counter's status. Pure: usage,
 * purchases and the catalog come in, lines go out. Late usage of a month already invoiced is
 * billed by {@link #lateLines} on a later invoice.
 */
public record MonthBill(Account account, YearMonth month, Plan plan, List<Assessment> counters,
                        List<InvoiceLine> lines) {

    /** The overage units and cents already invoiced for one counter of a past month. */
    public record Billed(long units, long cents) {
        public static final Billed NONE = new Billed(0, 0);
    }

    public static MonthBill of(Account account, YearMonth month, MonthlyUsage usage, List<PackagePurchase> purchases,
                               PlanCatalog catalog) {
        Subscription subscription = Subscription.of(account);
        LocalDate firstDay = month.atDay(1);
        Plan plan = catalog.plan(account.catalog(), subscription.tierIn(month), firstDay);
        String invoiceId = Invoice.id(account.accountId(), month);
        List<InvoiceLine> lines = new ArrayList<>();
        subscription.periodStartIn(month).ifPresent(start -> planFee(invoiceId, plan, subscription, start, lines));

        Map<Counter, Long> extra = new EnumMap<>(Counter.class);
        List<PackagePurchase> sorted = purchases.stream().filter(p -> p.activeIn(month))
                .sorted(Comparator.comparing(PackagePurchase::purchasedAt).thenComparing(PackagePurchase::packageName)).toList();
        for (PackagePurchase purchase : sorted) {
            PackageProduct product = catalog.product(account.catalog(), purchase.packageName(), purchase.purchasedAt());
            extra.merge(product.counter(), product.capacity(), Math::addExact);
            boolean storage = product.kind() == PackageProduct.Kind.STORAGE;
            if (storage || purchase.purchasedIn(month)) {
                long priceCents = storage ? catalog.product(account.catalog(), purchase.packageName(),
                        later(purchase.purchasedAt(), firstDay)).priceCents() : product.priceCents();
                lines.add(new InvoiceLine(invoiceId + "/package:" + purchase.packageName() + ":" + purchase.purchasedAt(),
                        LineType.PACKAGE, packageDescription(product, purchase, month), 1, priceCents, null, null));
            }
        }

        List<Assessment> counters = new ArrayList<>();
        for (Counter counter : Counter.of(account.catalog())) {
            Long planLimit = plan.limit(counter);
            Long limit = planLimit == null ? null : Math.addExact(planLimit, extra.getOrDefault(counter, 0L));
            Optional<OveragePrice> overage = overageAllowed(account, counter)
                    ? catalog.overagePrice(account.catalog(), counter, firstDay) : Optional.empty();
            Assessment assessment = Quotas.assess(counter, usage.of(counter), limit, plan.grace(), overage.orElse(null));
            counters.add(assessment);
            if (assessment.status() == QuotaStatus.OVERAGE) {
                lines.add(new InvoiceLine(invoiceId + "/overage:" + counter.code(), LineType.OVERAGE,
                        overageDescription(assessment, overage.get()), assessment.overageUnits(),
                        assessment.overageCents(), counter, month));
            }
        }
        return new MonthBill(account, month, plan, counters, lines);
    }

    /** RULES.md: overage needs the account's global switch and the counter's own. */
    static boolean overageAllowed(Account account, Counter counter) {
        boolean counterFlag = switch (counter) {
            case API_CALLS -> account.overageApiCalls();
            case LOGIC_ENGINE_CALLS -> account.overageLogicEngine();
            case STORAGE_BYTES -> account.overageStorage();
            default -> false;
        };
        return account.overageEnabled() && counterFlag;
    }

    /**
     * Lines for the invoice of {@code invoiceMonth} that settle this (past) month's overage as it now
     * stands against what was already invoiced for it: a late adjustment for more, a credit for less.
     */
    public List<InvoiceLine> lateLines(YearMonth invoiceMonth, Map<Counter, Billed> billed) {
        String invoiceId = Invoice.id(account.accountId(), invoiceMonth);
        List<InvoiceLine> late = new ArrayList<>();
        for (Assessment now : counters) {
            Billed before = billed.getOrDefault(now.counter(), Billed.NONE);
            long cents = now.overageCents() - before.cents();
            if (cents == 0) {
                continue;
            }
            long units = now.overageUnits() - before.units();
            LineType type = cents > 0 ? LineType.LATE_ADJUSTMENT : LineType.CREDIT;
            String description = (cents > 0 ? "Late usage for " : "Correction for ") + month + ": "
                    + now.counter().label() + " overage, " + number(Math.abs(units)) + " "
                    + (units >= 0 ? "more " : "fewer ") + now.counter().unit() + " than invoiced";
            late.add(new InvoiceLine(invoiceId + "/late:" + month + ":" + now.counter().code(), type, description,
                    units, cents, now.counter(), month));
        }
        return late;
    }

    public Invoice invoice(List<InvoiceLine> lateLines, Invoice.WalletUsage walletUsage) {
        List<InvoiceLine> all = new ArrayList<>(lines);
        all.addAll(lateLines);
        return new Invoice(Invoice.id(account.accountId(), month), account.accountId(), month, plan,
                account.billingInterval(), all, counters, walletUsage);
    }

    private static void planFee(String invoiceId, Plan plan, Subscription subscription, LocalDate start,
                                List<InvoiceLine> lines) {
        Long price = plan.priceCents(subscription.interval());
        if (price != null && price == 0) {
            return; // free tiers have no fee line
        }
        String description = displayName(plan.catalog(), plan.tier()) + " plan, " + subscription.interval().code() + ": " + start + " to "
                + subscription.periodEnd(start) + (price == null ? " (custom contract, invoiced separately)" : "");
        lines.add(new InvoiceLine(invoiceId + "/plan_fee:" + start, LineType.PLAN_FEE, description, 1,
                price == null ? 0 : price, null, null));
    }

    /** "Aerostack Pro", "AgentStack PRO": each catalog's own spelling of its tiers. */
    public static String displayName(String catalog, String tier) {
        return "aerostack".equals(catalog)
                ? "Aerostack " + tier.substring(0, 1).toUpperCase(Locale.ROOT) + tier.substring(1)
                : "AgentStack " + tier.toUpperCase(Locale.ROOT);
    }

    private static String packageDescription(PackageProduct product, PackagePurchase purchase, YearMonth month) {
        if (product.kind() == PackageProduct.Kind.STORAGE) {
            return "Storage package " + purchase.packageName() + ": +"
                    + BigDecimal.valueOf(product.capacity(), 9).stripTrailingZeros().toPlainString() + " GB in " + month;
        }
        return product.counter().label() + " package " + purchase.packageName() + ": +" + number(product.capacity())
                + " " + product.counter().unit() + "/month from " + month + " (one-time, bought " + purchase.purchasedAt() + ")";
    }

    private static String overageDescription(Assessment assessment, OveragePrice price) {
        return assessment.counter().label() + " overage: " + number(assessment.overageUnits()) + " "
                + assessment.counter().unit() + " beyond " + number(assessment.limit()) + " at $"
                + usd(price.centsPer1000().movePointLeft(2)) + " per 1,000 (minimum $"
                + BigDecimal.valueOf(price.minimumChargeCents(), 2).toPlainString() + ")";
    }

    /** Dollars with at least two decimals (never rounded: a price may have more). */
    private static String usd(BigDecimal dollars) {
        return (dollars.scale() < 2 ? dollars.setScale(2) : dollars).toPlainString();
    }

    /** 1234567 as "1,234,567". */
    public static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
