package tally.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a run report shows, gathered from the database ({@link RunReport}) and rendered by
 * {@link ReportPage}. Amounts are whole cents.
 *
 * @param date      the run's business date
 * @param summary   the run's stored summary (events, money, controls), key order as stored
 * @param days      cost and charges per usage day of the window ending at {@code date}
 * @param topBots   bots by cost over the window, highest first
 * @param topEndpoints agent endpoints by cost over the window, highest first
 * @param uncollected  this run's uncollected cents per wallet, highest first
 */
public record ReportData(LocalDate date, Map<String, Object> summary, List<DayTotals> days, List<Ranked> topBots,
                         List<Ranked> topEndpoints, List<Ranked> uncollected) {

    public record DayTotals(LocalDate date, long costCents, long chargedCents) {
    }

    /** A resource or wallet and its amount in cents. */
    public record Ranked(String id, String name, long cents) {
    }

    /** A section of the run summary ("events", "money", "controls"), empty when absent. */
    public Map<String, Object> section(String key) {
        return asMap(summary.get(key));
    }

    /** Reject counts by reason, as the run summary stores them. */
    public Map<String, Object> rejectsByReason() {
        return asMap(section("events").get("rejected_by_reason"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
