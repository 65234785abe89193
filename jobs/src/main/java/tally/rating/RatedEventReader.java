package tally.rating;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import tally.infra.AvroParquet;
import tally.infra.BytesInputFile;
import tally.infra.ParquetCodecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Streams the {@link RatedEvent}s of a rated segment or a rated events file, one at a time, in
 * file order (parquet-avro's record reader: correct, not fast). Columns are found by name; the
 * three columns added to the schema later (conversation_id, provider, model) read as null from
 * files written before them.
 */
public final class RatedEventReader implements Iterator<RatedEvent>, AutoCloseable {

    private final String source;
    private final ParquetReader<GenericRecord> reader;
    private Schema schema;
    private int[] positions;
    private GenericRecord next;

    private RatedEventReader(InputFile in, String source) {
        this.source = source;
        try {
            reader = AvroParquetReader.<GenericRecord>builder(in, new PlainParquetConfiguration())
                    .withDataModel(GenericData.get())
                    .withCodecFactory(ParquetCodecs.INSTANCE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("rated events " + source + " cannot be read", e);
        }
        advance();
    }

    /** The events of a segment. */
    public static RatedEventReader open(byte[] segment) {
        return new RatedEventReader(new BytesInputFile(segment), "segment");
    }

    /** The events of a file. */
    public static RatedEventReader open(Path file) {
        return new RatedEventReader(new LocalInputFile(file), file.toString());
    }

    /** Each event of a segment, in order; returns how many there were. */
    public static long forEach(byte[] segment, Consumer<? super RatedEvent> action) {
        try (RatedEventReader events = open(segment)) {
            return events.drain(action);
        }
    }

    /** Each event of a file, in order; returns how many there were. */
    public static long forEach(Path file, Consumer<? super RatedEvent> action) {
        try (RatedEventReader events = open(file)) {
            return events.drain(action);
        }
    }

    private long drain(Consumer<? super RatedEvent> action) {
        long rows = 0;
        while (hasNext()) {
            action.accept(next());
            rows++;
        }
        return rows;
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public RatedEvent next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        RatedEvent event = toEvent(next);
        advance();
        return event;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void advance() {
        try {
            next = reader.read();
        } catch (IOException e) {
            throw new UncheckedIOException("rated events " + source + " cannot be read", e);
        }
    }

    /** Position in {@link RatedEvent#COLUMNS} of the first of the fields that files written before them lack. */
    private static final int FIRST_ADDED_FIELD = RatedEvent.COLUMNS.indexOf("conversation_id");

    private RatedEvent toEvent(GenericRecord r) {
        if (r.getSchema() != schema) {
            schema = r.getSchema();
            positions = new int[RatedEvent.COLUMNS.size()];
            for (int i = 0; i < positions.length; i++) {
                Schema.Field field = schema.getField(RatedEvent.COLUMNS.get(i));
                if (field == null && i < FIRST_ADDED_FIELD) {
                    throw new IllegalArgumentException("rated events " + source + " have no column " + RatedEvent.COLUMNS.get(i));
                }
                positions[i] = field == null ? -1 : field.pos();
            }
        }
        return new RatedEvent(string(r, 0), (Integer) value(r, 1), (Long) value(r, 2), (Integer) value(r, 3),
                string(r, 4), string(r, 5), string(r, 6), string(r, 7), string(r, 8), string(r, 9),
                (Long) value(r, 10), (Long) value(r, 11), (Long) value(r, 12), money(r, 13), money(r, 14),
                (Boolean) value(r, 15), string(r, 16), string(r, 17), string(r, 18), string(r, 19), string(r, 20));
    }

    private Object value(GenericRecord r, int field) {
        return positions[field] < 0 ? null : r.get(positions[field]);
    }

    private String string(GenericRecord r, int field) {
        Object value = value(r, field);
        return value == null ? null : value.toString();
    }

    private long money(GenericRecord r, int field) {
        return AvroParquet.decimalUnscaled((ByteBuffer) value(r, field));
    }
}
