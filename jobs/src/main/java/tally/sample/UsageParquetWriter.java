package tally.sample;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import tally.infra.AvroParquet;

import java.nio.file.Path;
import java.time.Instant;

/** Writes raw usage events as Parquet with {@code schemas/usage_event.avsc}: sample data, the generator, tests. */
public final class UsageParquetWriter implements AutoCloseable {

    public static final Schema SCHEMA = AvroParquet.schema("usage_event");

    private final AvroParquet.RecordFile writer;

    public UsageParquetWriter(Path file) {
        writer = AvroParquet.create(file, SCHEMA);
    }

    /** One raw event; any nullable column may be null. */
    public record Row(String eventId, Instant occurredAt, String kind, String accountId, String projectId,
                      String resourceId, String conversationId, String endUserId, String platform, String provider,
                      String model, String billingMode, Long tokensInput, Long tokensOutput, Integer iterations,
                      Long latencyMs, String status, Long quantity) {
    }

    public void write(Row row) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("event_id", row.eventId());
        r.put("occurred_at", AvroParquet.epochMicros(row.occurredAt()));
        r.put("kind", row.kind());
        r.put("account_id", row.accountId());
        r.put("project_id", row.projectId());
        r.put("resource_id", row.resourceId());
        r.put("conversation_id", row.conversationId());
        r.put("end_user_id", row.endUserId());
        r.put("platform", row.platform());
        r.put("provider", row.provider());
        r.put("model", row.model());
        r.put("billing_mode", row.billingMode());
        r.put("tokens_input", row.tokensInput());
        r.put("tokens_output", row.tokensOutput());
        r.put("iterations", row.iterations());
        r.put("latency_ms", row.latencyMs());
        r.put("status", row.status());
        r.put("quantity", row.quantity());
        writer.write(r);
    }

    @Override
    public void close() {
        writer.close();
    }
}
