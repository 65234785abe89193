package tally.usage;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import tally.infra.AvroParquet;
import tally.infra.BadInputException;
import tally.infra.ParquetCodecs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the rows of one Parquet or Avro container file as {@link RawRow}s, one at a time.
 * Columns are matched by name; integers may be 32 or 64 bit; timestamps millis or micros, with or
 * without the UTC-adjusted flag (a timestamp without zone is read as UTC); strings plain,
 * dictionary-encoded or raw bytes; unknown columns are ignored. A file that cannot be read is bad
 * input naming the file.
 */
public final class UsageFileReader implements Iterator<RawRow>, Closeable {

    private final Path file;
    private final String fileName;
    private final ParquetReader<GenericRecord> parquet;
    private final DataFileReader<GenericRecord> avro;
    private GenericRecord next;
    private long rowNumber;
    private Schema schema;
    private ColumnIndex columns;

    public UsageFileReader(Path file, String displayName) {
        this.file = file;
        this.fileName = displayName;
        try {
            if (UsageFiles.isParquet(file)) {
                this.parquet = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), new PlainParquetConfiguration())
                        .withDataModel(GenericData.get())
                        .withCodecFactory(ParquetCodecs.INSTANCE)
                        .build();
                this.avro = null;
            } else {
                this.avro = new DataFileReader<>(file.toFile(), new GenericDatumReader<>());
                this.parquet = null;
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
        advance();
    }

    private BadInputException unreadable(Exception e) {
        return new BadInputException("input file " + file + " cannot be read"
                + (rowNumber > 0 ? " after row " + rowNumber : "") + ": " + e.getMessage(), e);
    }

    private void advance() {
        try {
            if (parquet != null) {
                next = parquet.read();
            } else {
                next = avro.hasNext() ? avro.next() : null;
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
        if (next != null && next.getSchema() != schema) {
            schema = next.getSchema();
            columns = new ColumnIndex(schema, file);
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public RawRow next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        GenericRecord record = next;
        rowNumber++;
        RawRow row = columns.toRow(record, fileName, rowNumber);
        advance();
        return row;
    }

    @Override
    public void close() throws IOException {
        if (parquet != null) {
            parquet.close();
        }
        if (avro != null) {
            avro.close();
        }
    }

    /** Field positions and timestamp units of one file schema, resolved once per file. */
    static final class ColumnIndex {
        private final Schema.Field eventId, occurredAt, kind, accountId, projectId, resourceId, conversationId,
                endUserId, platform, provider, model, billingMode, tokensInput, tokensOutput, iterations, latencyMs,
                status, quantity;
        private final long occurredAtMicrosPerUnit;

        ColumnIndex(Schema schema, Path file) {
            eventId = schema.getField("event_id");
            occurredAt = schema.getField("occurred_at");
            kind = schema.getField("kind");
            accountId = schema.getField("account_id");
            projectId = schema.getField("project_id");
            resourceId = schema.getField("resource_id");
            conversationId = schema.getField("conversation_id");
            endUserId = schema.getField("end_user_id");
            platform = schema.getField("platform");
            provider = schema.getField("provider");
            model = schema.getField("model");
            billingMode = schema.getField("billing_mode");
            tokensInput = schema.getField("tokens_input");
            tokensOutput = schema.getField("tokens_output");
            iterations = schema.getField("iterations");
            latencyMs = schema.getField("latency_ms");
            status = schema.getField("status");
            quantity = schema.getField("quantity");
            occurredAtMicrosPerUnit = occurredAt == null ? 1 : timestampUnit(occurredAt, file);
        }

        private static long timestampUnit(Schema.Field field, Path file) {
            Schema schema = nonNull(field.schema());
            LogicalType type = schema.getLogicalType();
            if (type instanceof LogicalTypes.TimestampMillis || type instanceof LogicalTypes.LocalTimestampMillis) {
                return 1000L;
            }
            if (type instanceof LogicalTypes.TimestampMicros || type instanceof LogicalTypes.LocalTimestampMicros) {
                return 1L;
            }
            if (type instanceof LogicalTypes.TimestampNanos || type instanceof LogicalTypes.LocalTimestampNanos) {
                return -1000L;
            }
            throw new BadInputException("input file " + file + ": column occurred_at has type " + schema
                    + ", not a timestamp (millis, micros or nanos)");
        }

        private static Schema nonNull(Schema schema) {
            if (schema.getType() == Schema.Type.UNION) {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return branch;
                    }
                }
            }
            return schema;
        }

        RawRow toRow(GenericRecord r, String file, long row) {
            try {
                return convert(r, file, row);
            } catch (BadRowValueException | ClassCastException | ArithmeticException e) {
                String id = null;
                try {
                    id = text(r, eventId);
                } catch (RuntimeException ignored) {
                    // the id itself may be the bad value
                }
                return RawRow.unconvertible(file, row, id, e.getMessage());
            }
        }

        private RawRow convert(GenericRecord r, String file, long row) {
            return new RawRow(file, row, text(r, eventId), micros(r), text(r, kind), text(r, accountId),
                    text(r, projectId), text(r, resourceId), text(r, conversationId), text(r, endUserId),
                    text(r, platform), text(r, provider), text(r, model), text(r, billingMode),
                    number(r, tokensInput), number(r, tokensOutput), number(r, iterations), number(r, latencyMs),
                    text(r, status), number(r, quantity), null);
        }

        private Long micros(GenericRecord r) {
            if (occurredAt == null) {
                return null;
            }
            Object value = r.get(occurredAt.pos());
            if (value == null) {
                return null;
            }
            if (value instanceof Instant instant) {
                return AvroParquet.epochMicros(instant);
            }
            if (value instanceof LocalDateTime local) {
                return AvroParquet.epochMicros(local.toInstant(ZoneOffset.UTC));
            }
            long raw = ((Number) value).longValue();
            return occurredAtMicrosPerUnit > 0 ? Math.multiplyExact(raw, occurredAtMicrosPerUnit)
                    : Math.floorDiv(raw, -occurredAtMicrosPerUnit);
        }

        private static String text(GenericRecord r, Schema.Field field) {
            if (field == null) {
                return null;
            }
            Object value = r.get(field.pos());
            if (value == null) {
                return null;
            }
            if (value instanceof Utf8 || value instanceof String) {
                return value.toString();
            }
            if (value instanceof ByteBuffer bytes) {
                return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
            }
            return value.toString();
        }

        private static Long number(GenericRecord r, Schema.Field field) {
            if (field == null) {
                return null;
            }
            Object value = r.get(field.pos());
            if (value == null) {
                return null;
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            throw new BadRowValueException(field.name() + " has a non-integer value '" + value + "'");
        }
    }

    /** A value of the wrong type in one row: that row is rejected (reason bad_value), the file is not. */
    public static final class BadRowValueException extends RuntimeException {
        BadRowValueException(String message) {
            super(message);
        }
    }
}
