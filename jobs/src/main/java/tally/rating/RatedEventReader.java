package tally.rating;

import tally.infra.ParquetBatchReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams the {@link RatedEvent}s of a rated segment or a rated events file, in file order, read
 * column by column in batches ({@link ParquetBatchReader}). Columns are found by name; the three
 * columns added to the schema later (conversation_id, provider, model) read as null from files
 * written before them.
 */
public final class RatedEventReader {

    private RatedEventReader() {
    }

    /** Each event of a segment, in order; returns how many there were. */
    public static long forEach(byte[] segment, Consumer<? super RatedEvent> action) {
        try (ParquetBatchReader reader = ParquetBatchReader.open(segment)) {
            return forEach(reader, action);
        } catch (IOException e) {
            throw new UncheckedIOException("a rated segment cannot be read: " + e.getMessage(), e);
        }
    }

    /** Each event of a file, in order; returns how many there were. */
    public static long forEach(Path file, Consumer<? super RatedEvent> action) {
        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            return forEach(reader, action);
        } catch (IOException e) {
            throw new UncheckedIOException("rated events " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static long forEach(ParquetBatchReader reader, Consumer<? super RatedEvent> action) throws IOException {
        long rows = 0;
        for (ParquetBatchReader.RowGroup group : reader.rowGroups()) {
            try (ParquetBatchReader.Batches batches = reader.read(group.index(), RatedEvent.COLUMNS)) {
                while (batches.next()) {
                    ParquetBatchReader.Column[] c = new ParquetBatchReader.Column[RatedEvent.COLUMNS.size()];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = batches.column(i);
                    }
                    for (int r = 0; r < batches.size(); r++) {
                        action.accept(new RatedEvent(c[0].text(r), c[1].intValue(r), c[2].longValue(r), c[3].intValue(r),
                                c[4].text(r), c[5].text(r), text(c[6], r), text(c[7], r), text(c[8], r), c[9].text(r),
                                c[10].longValue(r), c[11].longValue(r), c[12].longValue(r), ucents(c[13], r),
                                ucents(c[14], r), c[15].booleanValue(r), text(c[16], r), c[17].text(r), text(c[18], r),
                                text(c[19], r), text(c[20], r)));
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    private static String text(ParquetBatchReader.Column column, int row) {
        return column.isNull(row) ? null : column.text(row);
    }

    /** A decimal(24,6) cents value as exact micro-cents (the unscaled value). */
    private static long ucents(ParquetBatchReader.Column column, int row) {
        return new BigDecimal(column.text(row)).movePointRight(6).longValueExact();
    }
}
