package tally.usage;

/**
 * One row of an input file with its columns already matched by name and converted to Java types
 * (strings, longs, epoch micro-seconds); any column may be null. Validation happens in
 * {@link RowValidator}.
 */
public record RawRow(String sourceFile, long sourceRow, String eventId, Long occurredAtMicros, String kind,
                     String accountId, String projectId, String resourceId, String conversationId, String endUserId,
                     String platform, String provider, String model, String billingMode, Long tokensInput,
                     Long tokensOutput, Long iterations, Long latencyMs, String status, Long quantity,
                     String badValue) {

    /** A row whose values could not be converted (wrong column type): rejected as bad_value. */
    static RawRow unconvertible(String sourceFile, long sourceRow, String eventId, String problem) {
        return new RawRow(sourceFile, sourceRow, eventId, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, problem);
    }
}
