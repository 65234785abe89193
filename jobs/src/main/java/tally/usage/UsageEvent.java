package tally.usage;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One usage event that passed row validation, and where it was read. Absent token counts are 0,
 * an absent quantity is 1.
 */
public record UsageEvent(String sourceFile, long sourceRow, String eventId, Instant occurredAt, UsageKind kind,
                         String accountId, String projectId, String resourceId, String conversationId,
                         String endUserId, String platform, String provider, String model, String billingMode,
                         long tokensInput, long tokensOutput, Integer iterations, Long latencyMs,
                         boolean success, long quantity) {

    /** The UTC day of occurred_at (epoch arithmetic: atZone builds zone rules on every call, per event). */
    public LocalDate usageDate() {
        return LocalDate.ofEpochDay(Math.floorDiv(occurredAt.getEpochSecond(), 86_400L));
    }

    public String statusCode() {
        return success ? "success" : "failed";
    }
}
