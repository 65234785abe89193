package tally.plans;

import java.util.Locale;

/** Invoice line types (CONTRACT.md, invoice). */
public enum LineType {
    PLAN_FEE, PACKAGE, OVERAGE, LATE_ADJUSTMENT, CREDIT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
