package tally.testing;

import tally.sample.UsageParquetWriter;
import tally.sample.UsageParquetWriter.Row;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A raw usage event for tests, built fluently over the sample's reference data and written as
 * Tally writes usage Parquet ({@link UsageParquetWriter}):
 * {@code Event.bot("e1", "2026-03-02T10:00:00Z", "acct_acme", "bot_support").model("openai", "gpt-4o").tokens(100_000, 10_000)}.
 */
public final class Event {

    private final String eventId;
    private final Instant occurredAt;
    private String kind;
    private final String accountId;
    private String projectId;
    private final String resourceId;
    private String conversationId;
    private String endUserId;
    private String provider;
    private String model;
    private String billingMode;
    private Long tokensInput;
    private Long tokensOutput;
    private Long latencyMs;
    private String status = "success";
    private Long quantity;

    private Event(String eventId, String occurredAt, String kind, String accountId, String resourceId) {
        this.eventId = eventId;
        this.occurredAt = Instant.parse(occurredAt);
        this.kind = kind;
        this.accountId = accountId;
        this.resourceId = resourceId;
    }

    public static Event bot(String eventId, String occurredAt, String accountId, String botId) {
        Event e = new Event(eventId, occurredAt, "bot_message", accountId, botId);
        e.conversationId = "conv-" + eventId;
        e.endUserId = "user-1";
        e.latencyMs = 900L;
        return e;
    }

    public static Event agentRun(String eventId, String occurredAt, String accountId, String endpointId) {
        Event e = new Event(eventId, occurredAt, "agent_run", accountId, endpointId);
        e.latencyMs = 2_000L;
        return e;
    }

    public static Event toolCall(String eventId, String occurredAt, String accountId, String toolId) {
        Event e = new Event(eventId, occurredAt, "tool_call", accountId, toolId);
        e.projectId = "proj-" + accountId;
        return e;
    }

    public static Event apiRequest(String eventId, String occurredAt, String accountId) {
        Event e = new Event(eventId, occurredAt, "api_request", accountId, null);
        e.projectId = "proj-" + accountId;
        e.quantity = 1L;
        return e;
    }

    public Event model(String provider, String model) {
        this.provider = provider;
        this.model = model;
        return this;
    }

    public Event tokens(long input, long output) {
        this.tokensInput = input;
        this.tokensOutput = output;
        return this;
    }

    public Event failed() {
        this.status = "failed";
        return this;
    }

    public Event kind(String kind) {
        this.kind = kind;
        return this;
    }

    public Row row() {
        return new Row(eventId, occurredAt, kind, accountId, projectId, resourceId, conversationId, endUserId, null,
                provider, model, billingMode, tokensInput, tokensOutput, null, latencyMs, status, quantity);
    }

    /** Writes the events as {@code <input>/date=<day>/<fileName>} the way Tally writes usage Parquet. */
    public static Path writeParquet(Path input, String day, String fileName, List<Event> events) {
        Path file = input.resolve("date=" + day).resolve(fileName);
        try (UsageParquetWriter writer = new UsageParquetWriter(file)) {
            events.forEach(e -> writer.write(e.row()));
        }
        return file;
    }

    public static Path writeParquet(Path input, String day, String fileName, Event... events) {
        return writeParquet(input, day, fileName, List.of(events));
    }
}
