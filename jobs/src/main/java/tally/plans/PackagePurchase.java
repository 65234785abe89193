package tally.plans;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A package an account bought (reference packages.csv). It is active in every month that
 * [purchasedAt, endsAt) overlaps; endsAt null = for good.
 */
public record PackagePurchase(String accountId, String packageName, LocalDate purchasedAt, LocalDate endsAt) {

    public boolean activeIn(YearMonth month) {
        return !purchasedAt.isAfter(month.atEndOfMonth()) && (endsAt == null || endsAt.isAfter(month.atDay(1)));
    }

    public boolean purchasedIn(YearMonth month) {
        return YearMonth.from(purchasedAt).equals(month);
    }
}
