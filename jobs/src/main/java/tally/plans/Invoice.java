package tally.plans;

import java.time.YearMonth;
import java.util.List;

/**
 * One account's invoice for one month, as issued: immutable once stored (docs/month-close.md).
 * {@code walletUsage} is informational (the wallet is prepaid) and not part of the total.
 */
public record Invoice(String invoiceId, String accountId, YearMonth month, Plan plan, String billingInterval,
                      List<InvoiceLine> lines, List<Assessment> usage, WalletUsage walletUsage) {

    /** The only status an invoice has: it exists once issued and never changes. */
    public static final String ISSUED = "issued";

    public Invoice {
        lines = List.copyOf(lines);
        usage = List.copyOf(usage);
    }

    public static String id(String accountId, YearMonth month) {
        return "inv:" + accountId + ":" + month;
    }

    public long totalCents() {
        return lines.stream().mapToLong(InvoiceLine::amountCents).reduce(0L, Math::addExact);
    }

    /** What the prepaid wallet was charged for the month's usage and what of that it could not pay. */
    public record WalletUsage(long chargedCents, long uncollectedCents) {
    }
}
