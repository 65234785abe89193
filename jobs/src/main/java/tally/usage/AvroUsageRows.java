package tally.usage;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** The rows of an Avro container file, one GenericRecord at a time; the whole file is one unit. */
final class AvroUsageRows extends UsageRows {

    private final Path file;
    private final String displayName;
    private final DataFileReader<GenericRecord> avro;
    /** The file's field of each of {@link #COLUMNS}, null when absent. */
    private final Schema.Field[] fields = new Schema.Field[COLUMNS.size()];
    private final TimestampUnit occurredAtUnit;
    private GenericRecord record;
    private long lastRow;

    AvroUsageRows(Path file, String displayName) {
        this.file = file;
        this.displayName = displayName;
        try {
            avro = new DataFileReader<>(file.toFile(), new GenericDatumReader<>());
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, 0, e);
        }
        try {
            Schema schema = avro.getSchema();
            for (int c = 0; c < fields.length; c++) {
                fields[c] = schema.getField(COLUMNS.get(c));
            }
            occurredAtUnit = fields[OCCURRED_AT] == null ? null : timestampUnit(fields[OCCURRED_AT]);
        } catch (RuntimeException e) {
            closeAfterFailure(avro);
            throw e;
        }
    }

    /** The rows of the file, counted block by block (blocks are decompressed, records not decoded). */
    long countRows() {
        long rows = 0;
        try {
            while (avro.hasNext()) {
                rows += avro.getBlockCount();
                avro.nextBlock();
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, 0, e);
        }
        return rows;
    }

    private TimestampUnit timestampUnit(Schema.Field field) {
        Schema schema = nonNull(field.schema());
        LogicalType type = schema.getLogicalType();
        if (type instanceof LogicalTypes.TimestampMillis || type instanceof LogicalTypes.LocalTimestampMillis) {
            return TimestampUnit.MILLIS;
        }
        if (type instanceof LogicalTypes.TimestampMicros || type instanceof LogicalTypes.LocalTimestampMicros) {
            return TimestampUnit.MICROS;
        }
        if (type instanceof LogicalTypes.TimestampNanos || type instanceof LogicalTypes.LocalTimestampNanos) {
            return TimestampUnit.NANOS;
        }
        throw notATimestamp(file, schema.toString());
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

    @Override
    public boolean hasNext() {
        try {
            return avro.hasNext();
        } catch (RuntimeException e) {
            throw unreadable(file, lastRow, e);
        }
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            record = avro.next();
        } catch (RuntimeException e) {
            throw unreadable(file, lastRow, e);
        }
        lastRow++;
        return row(displayName, lastRow);
    }

    private Object value(int column) {
        Schema.Field field = fields[column];
        return field == null ? null : record.get(field.pos());
    }

    @Override
    String text(int column) {
        Object value = value(column);
        if (value == null) {
            return null;
        }
        if (value instanceof ByteBuffer bytes) {
            return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
        }
        return value.toString(); // a string (Utf8), or a number, an enum symbol...
    }

    @Override
    Long integer(int column) {
        Object value = value(column);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw nonInteger(column, value.toString());
    }

    @Override
    Long occurredAtMicros() {
        Object value = value(OCCURRED_AT);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long || value instanceof Integer)) {
            throw new UsageFileReader.BadRowValueException("occurred_at has a non-timestamp value '" + value + "'");
        }
        return occurredAtUnit.toMicros(((Number) value).longValue());
    }

    @Override
    public void close() throws IOException {
        avro.close();
    }
}
