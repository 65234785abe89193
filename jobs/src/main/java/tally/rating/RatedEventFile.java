package tally.rating;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import tally.infra.AvroParquet;
import tally.money.Money;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The rated events of one run as Parquet, with the schema of {@code schemas/rated_event.avsc}
 * (money as decimal cents with 6 places).
 */
public final class RatedEventFile implements AutoCloseable {

    public static final Schema SCHEMA = RatedEvent.AVRO_SCHEMA;
    private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();
    private static final Schema MONEY = SCHEMA.getField("cost_cents").schema();

    private final AvroParquet.RecordFile writer;

    public RatedEventFile(Path file) {
        writer = AvroParquet.create(file, SCHEMA);
    }

    public static ByteBuffer money(long ucents) {
        return DECIMAL.toBytes(Money.ucentsAsCents(ucents), MONEY, MONEY.getLogicalType());
    }

    public void write(String eventId, LocalDate arrivalDate, Instant occurredAt, LocalDate usageDate, String kind,
                      String accountId, String payerAccountId, String resourceId, String billingMode, String status,
                      long tokensInput, long tokensOutput, long quantity, long costUcents, long chargeUcents,
                      boolean capped, String postingId, String rulesVersion) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("event_id", eventId);
        r.put("arrival_date", (int) arrivalDate.toEpochDay());
        r.put("occurred_at", AvroParquet.epochMicros(occurredAt));
        r.put("usage_date", (int) usageDate.toEpochDay());
        r.put("kind", kind);
        r.put("account_id", accountId);
        r.put("payer_account_id", payerAccountId);
        r.put("resource_id", resourceId);
        r.put("billing_mode", billingMode);
        r.put("status", status);
        r.put("tokens_input", tokensInput);
        r.put("tokens_output", tokensOutput);
        r.put("quantity", quantity);
        r.put("cost_cents", money(costUcents));
        r.put("charge_cents", money(chargeUcents));
        r.put("capped", capped);
        r.put("posting_id", postingId);
        r.put("rules_version", rulesVersion);
        writer.write(r);
    }

    @Override
    public void close() {
        writer.close();
    }
}
