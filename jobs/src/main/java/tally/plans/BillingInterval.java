package tally.plans;

import java.time.LocalDate;
import java.util.Locale;

/** How often a plan fee is charged: at the start of each month or year from the account's period_start. */
public enum BillingInterval {
    MONTHLY(1), YEARLY(12);

    private final int months;

    BillingInterval(int months) {
        this.months = months;
    }

    public static BillingInterval of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int months() {
        return months;
    }

    /** The start of the n-th period after {@code first} (day clamped to the month's end, always from {@code first}). */
    public LocalDate periodStart(LocalDate first, int n) {
        return first.plusMonths((long) months * n);
    }
}
