package tally.plans;

import java.util.Locale;

/** Where a counter stands against its limit (RULES.md, Plans). */
public enum QuotaStatus {
    /** At or under the limit (or unlimited). */
    OK,
    /** Over the limit, within the grace buffer (Aerostack). */
    GRACE,
    /** Over the hard limit, or over the limit with no overage allowed: no charge. */
    BLOCKED,
    /** Over the limit with overage enabled (AgentStack): charged pro rata. */
    OVERAGE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
