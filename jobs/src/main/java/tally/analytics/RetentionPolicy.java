package tally.analytics;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How long an account's analytics rollups are kept (RULES.md, Analytics): by AgentStack tier 7 days
 * (anonymous, free), 30 (starter, basic), 90 (pro), 365 (premium), unlimited (enterprise); every
 * Aerostack plan 90 days. A rollup whose usage day is more than that many days before the retention
 * clock is purged; one exactly that many days old is kept.
 */
public final class RetentionPolicy {

    public static final int AEROSTACK_DAYS = 90;

    private static final Map<String, Integer> AGENTSTACK_DAYS = Map.of(
            "anonymous", 7, "free", 7, "starter", 30, "basic", 30, "pro", 90, "premium", 365);
    private static final String AGENTSTACK_UNLIMITED = "enterprise";

    private RetentionPolicy() {
    }

    /** Days kept for a catalog and tier (lower case, as imported); empty means unlimited. */
    public static OptionalInt days(String catalog, String tier) {
        if ("aerostack".equals(catalog)) {
            return OptionalInt.of(AEROSTACK_DAYS);
        }
        if ("agentstack".equals(catalog)) {
            if (AGENTSTACK_UNLIMITED.equals(tier)) {
                return OptionalInt.empty();
            }
            Integer days = AGENTSTACK_DAYS.get(tier);
            if (days != null) {
                return OptionalInt.of(days);
            }
        }
        throw new IllegalArgumentException("no analytics retention for catalog '" + catalog + "' tier '" + tier + "'");
    }

    /** The first usage day kept on {@code clock}; empty when everything is kept. */
    public static Optional<LocalDate> firstDayKept(String catalog, String tier, LocalDate clock) {
        OptionalInt days = days(catalog, tier);
        return days.isPresent() ? Optional.of(clock.minusDays(days.getAsInt())) : Optional.empty();
    }
}
