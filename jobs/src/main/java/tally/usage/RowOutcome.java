package tally.usage;

/** A validated row: either an event, or a reject with its reason. */
public sealed interface RowOutcome {

    record Accepted(UsageEvent event) implements RowOutcome {
    }

    record Rejected(String sourceFile, long sourceRow, String eventId, String reason, String detail) implements RowOutcome {
    }
}
