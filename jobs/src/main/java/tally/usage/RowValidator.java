package tally.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Row-level checks that need no reference data (RULES.md, Bad input). Pure: the arrival day and
 * the lateness window are parameters.
 */
public final class RowValidator {

    public static final Duration DEFAULT_LATENESS = Duration.ofDays(35);
    /** How far past the end of its arrival day an event may claim to have happened. */
    public static final Duration FUTURE_TOLERANCE = Duration.ofHours(1);

    static final Set<String> BILLING_MODES = Set.of("wallet", "byok", "plan_quota");

    private final Instant earliest;
    private final Instant latest;

    public RowValidator(LocalDate arrivalDay, Duration allowedLateness) {
        Instant dayStart = arrivalDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.earliest = dayStart.minus(allowedLateness);
        this.latest = dayStart.plus(Duration.ofDays(1)).plus(FUTURE_TOLERANCE);
    }

    public RowOutcome validate(RawRow row) {
        String file = row.sourceFile();
        long line = row.sourceRow();
        String id = row.eventId();
        if (row.badValue() != null) {
            return new RowOutcome.Rejected(file, line, id, "bad_value", row.badValue());
        }
        if (blank(id)) {
            return new RowOutcome.Rejected(file, line, null, "missing_event_id", "event_id is required");
        }
        if (row.occurredAtMicros() == null) {
            return missing(row, "occurred_at");
        }
        if (blank(row.kind())) {
            return missing(row, "kind");
        }
        UsageKind kind = UsageKind.ofCode(row.kind());
        if (kind == null) {
            return new RowOutcome.Rejected(file, line, id, "unknown_kind", "kind '" + row.kind() + "' is not a usage kind");
        }
        if (blank(row.accountId())) {
            return missing(row, "account_id");
        }
        if (blank(row.status())) {
            return missing(row, "status");
        }
        if (!row.status().equals("success") && !row.status().equals("failed")) {
            return new RowOutcome.Rejected(file, line, id, "bad_status", "status '" + row.status() + "' is not success or failed");
        }
        if (kind.hasResource() && blank(row.resourceId())) {
            return missing(row, "resource_id");
        }
        if (kind == UsageKind.STORAGE_SNAPSHOT && blank(row.projectId())) {
            return missing(row, "project_id");
        }
        if (kind.usesModel()) {
            if (blank(row.provider())) {
                return missing(row, "provider");
            }
            if (blank(row.model())) {
                return missing(row, "model");
            }
            if (row.tokensInput() == null) {
                return missing(row, "tokens_input");
            }
            if (row.tokensOutput() == null) {
                return missing(row, "tokens_output");
            }
        }
        if ((row.tokensInput() != null && row.tokensInput() < 0) || (row.tokensOutput() != null && row.tokensOutput() < 0)) {
            return new RowOutcome.Rejected(file, line, id, "negative_tokens", "token counts must not be negative");
        }
        if (row.quantity() != null && row.quantity() < 0) {
            return new RowOutcome.Rejected(file, line, id, "negative_quantity", "quantity must not be negative");
        }
        if (row.iterations() != null && (row.iterations() < 0 || row.iterations() > Integer.MAX_VALUE)) {
            return new RowOutcome.Rejected(file, line, id, "bad_value", "iterations " + row.iterations() + " is out of range");
        }
        if (row.latencyMs() != null && row.latencyMs() < 0) {
            return new RowOutcome.Rejected(file, line, id, "bad_value", "latency_ms " + row.latencyMs() + " is negative");
        }
        String billingMode = emptyToNull(row.billingMode());
        if (billingMode != null && !BILLING_MODES.contains(billingMode)) {
            return new RowOutcome.Rejected(file, line, id, "bad_billing_mode",
                    "billing_mode '" + row.billingMode() + "' is not wallet, byok or plan_quota");
        }
        long micros = row.occurredAtMicros();
        Instant occurredAt = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        if (occurredAt.isBefore(earliest)) {
            return new RowOutcome.Rejected(file, line, id, "too_late",
                    "occurred_at " + occurredAt + " is before the lateness window (from " + earliest + ")");
        }
        if (occurredAt.isAfter(latest)) {
            return new RowOutcome.Rejected(file, line, id, "in_future",
                    "occurred_at " + occurredAt + " is more than 1 hour after the end of its arrival day");
        }
        return new RowOutcome.Accepted(new UsageEvent(file, line, id, occurredAt, kind, row.accountId(),
                emptyToNull(row.projectId()), emptyToNull(row.resourceId()), emptyToNull(row.conversationId()),
                emptyToNull(row.endUserId()), emptyToNull(row.platform()), emptyToNull(row.provider()),
                emptyToNull(row.model()), billingMode,
                row.tokensInput() == null ? 0 : row.tokensInput(), row.tokensOutput() == null ? 0 : row.tokensOutput(),
                row.iterations() == null ? null : Math.toIntExact(row.iterations()), row.latencyMs(),
                row.status().equals("success"), row.quantity() == null ? 1 : row.quantity()));
    }

    private static RowOutcome missing(RawRow row, String column) {
        return new RowOutcome.Rejected(row.sourceFile(), row.sourceRow(), row.eventId(), "missing_field",
                column + " is required");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String emptyToNull(String s) {
        return blank(s) ? null : s;
    }
}
