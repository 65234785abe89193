package tally.rating;

import org.apache.avro.Schema;
import tally.infra.AvroParquet;
import tally.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One rated event: a row of {@code schemas/rated_event.avsc}, fields in its order. Days are epoch
 * days (the Parquet DATE), instants epoch micro-seconds (TIMESTAMP(MICROS, UTC)), money exact
 * micro-cents (1e-6 cent; the file's decimal(24,6) cents has exactly this unscaled value).
 * {@code payerAccountId}, {@code resourceId}, {@code billingMode}, {@code postingId},
 * {@code conversationId}, {@code provider} and {@code model} may be null; the other strings may not.
 */
public record RatedEvent(String eventId, int arrivalEpochDay, long occurredAtMicros, int usageEpochDay, String kind,
                         String accountId, String payerAccountId, String resourceId, String billingMode, String status,
                         long tokensInput, long tokensOutput, long quantity, long costUcents, long chargeUcents,
                         boolean capped, String postingId, String rulesVersion, String conversationId, String provider,
                         String model) {

    /** {@code schemas/rated_event.avsc}. */
    public static final Schema AVRO_SCHEMA = AvroParquet.schema("rated_event");

    /** The schema's fields (the Parquet columns), in the order of this record's components. */
    static final List<String> COLUMNS = List.of("event_id", "arrival_date", "occurred_at", "usage_date", "kind",
            "account_id", "payer_account_id", "resource_id", "billing_mode", "status", "tokens_input", "tokens_output",
            "quantity", "cost_cents", "charge_cents", "capped", "posting_id", "rules_version", "conversation_id",
            "provider", "model");

    static {
        List<String> fields = AVRO_SCHEMA.getFields().stream().map(Schema.Field::name).toList();
        if (!fields.equals(COLUMNS)) {
            throw new IllegalStateException("rated_event.avsc has fields " + fields + ", RatedEvent " + COLUMNS);
        }
    }

    public RatedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
    }

    /** The same event from dates and an instant (micro-second precision: finer is truncated). */
    public static RatedEvent of(String eventId, LocalDate arrivalDate, Instant occurredAt, LocalDate usageDate, String kind,
                                String accountId, String payerAccountId, String resourceId, String billingMode,
                                String status, long tokensInput, long tokensOutput, long quantity, long costUcents,
                                long chargeUcents, boolean capped, String postingId, String rulesVersion,
                                String conversationId, String provider, String model) {
        return new RatedEvent(eventId, Math.toIntExact(arrivalDate.toEpochDay()), AvroParquet.epochMicros(occurredAt),
                Math.toIntExact(usageDate.toEpochDay()), kind, accountId, payerAccountId, resourceId, billingMode, status,
                tokensInput, tokensOutput, quantity, costUcents, chargeUcents, capped, postingId, rulesVersion,
                conversationId, provider, model);
    }

    /** The same event as re-rated by a rerun: new amounts and rules, the same posting reference. */
    public RatedEvent rerated(long newCostUcents, long newChargeUcents, boolean newCapped, String newRulesVersion) {
        return new RatedEvent(eventId, arrivalEpochDay, occurredAtMicros, usageEpochDay, kind, accountId, payerAccountId,
                resourceId, billingMode, status, tokensInput, tokensOutput, quantity, newCostUcents, newChargeUcents,
                newCapped, postingId, newRulesVersion, conversationId, provider, model);
    }

    public LocalDate arrivalDate() {
        return LocalDate.ofEpochDay(arrivalEpochDay);
    }

    public LocalDate usageDate() {
        return LocalDate.ofEpochDay(usageEpochDay);
    }

    public Instant occurredAt() {
        return Instant.EPOCH.plusSeconds(Math.floorDiv(occurredAtMicros, 1_000_000L))
                .plusNanos(Math.floorMod(occurredAtMicros, 1_000_000L) * 1000L);
    }

    /** The cost as the file's decimal cents with six places. */
    public BigDecimal costCents() {
        return Money.ucentsAsCents(costUcents);
    }

    /** The charge as the file's decimal cents with six places. */
    public BigDecimal chargeCents() {
        return Money.ucentsAsCents(chargeUcents);
    }
}
