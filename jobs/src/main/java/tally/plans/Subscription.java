package tally.plans;

import tally.reference.Account;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An account's plan over time: billing periods start at {@code period_start} and every month or year
 * after it. With {@code cancel_at_period_end}, the current period (the one starting at period_start)
 * is the last: from its end the account is on the catalog's Free tier and pays no plan fee. A month's
 * limits are those of the tier in force on its first day (docs/month-close.md).
 */
public record Subscription(String catalog, String tier, BillingInterval interval, LocalDate periodStart,
                           boolean cancelAtPeriodEnd) {

    /** Billing periods of an account without period_start are anchored here (as its opening balance). */
    public static final LocalDate DEFAULT_PERIOD_START = LocalDate.of(2000, 1, 1);

    public static Subscription of(Account account) {
        return new Subscription(account.catalog(), account.tier(), BillingInterval.of(account.billingInterval()),
                account.periodStart() == null ? DEFAULT_PERIOD_START : account.periodStart(), account.cancelAtPeriodEnd());
    }

    /** The first day on the Free tier after a cancellation; empty when not cancelled. */
    public Optional<LocalDate> cancelledFrom() {
        return cancelAtPeriodEnd ? Optional.of(interval.periodStart(periodStart, 1)) : Optional.empty();
    }

    /** Whether the subscription had begun by the end of the month (no invoice before it). */
    public boolean startedBy(YearMonth month) {
        return !periodStart.isAfter(month.atEndOfMonth());
    }

    public String tierIn(YearMonth month) {
        boolean cancelled = cancelledFrom().map(d -> !d.isAfter(month.atDay(1))).orElse(false);
        return cancelled ? PlanCatalog.FREE_TIER : tier;
    }

    /** The billing period starting in the month, if one does (at most one: periods are a month or a year). */
    public Optional<LocalDate> periodStartIn(YearMonth month) {
        long monthsSinceStart = ChronoUnit.MONTHS.between(YearMonth.from(periodStart), month);
        int step = interval.months();
        if (monthsSinceStart < 0 || monthsSinceStart % step != 0) {
            return Optional.empty();
        }
        LocalDate start = interval.periodStart(periodStart, (int) (monthsSinceStart / step));
        boolean cancelled = cancelledFrom().map(d -> !start.isBefore(d)).orElse(false);
        return cancelled ? Optional.empty() : Optional.of(start);
    }

    /** The last day of the billing period starting on {@code start}. */
    public LocalDate periodEnd(LocalDate start) {
        return interval.periodStart(start, 1).minusDays(1);
    }
}
