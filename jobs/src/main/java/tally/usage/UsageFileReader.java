package tally.usage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Streams the rows of one Parquet or Avro container file ({@code *.avro}), or of one {@link InputUnit}
 * of it, as {@link RawRow}s numbered from 1 over the whole file. Columns are matched by name; unknown
 * columns are ignored, absent ones are null; integers may be 32 or 64 bit; timestamps millis, micros
 * or nanos, with or without the UTC-adjusted flag (a timestamp without zone is read as UTC); strings
 * plain, dictionary-encoded or raw bytes (read as UTF-8); a column of another type reads as its
 * value's text. A value that is not an integer in an integer column, or a timestamp that does not fit
 * in epoch micro-seconds, makes its row unconvertible (rejected as bad_value). A file that cannot be
 * read, whose occurred_at is not a timestamp, or where a column Tally reads is a group, repeated or
 * INT96, is bad input naming the file (and the last row read, if any).
 *
 * <p>Parquet is read in batches of columns ({@link tally.infra.ParquetBatchReader}), Avro one record
 * at a time.
 */
public final class UsageFileReader implements Iterator<RawRow>, Closeable {

    private final UsageRows rows;

    /** Every row of the file, in file order. */
    public UsageFileReader(Path file, String displayName) {
        this.rows = UsageFiles.isParquet(file) ? new ParquetUsageRows(file, displayName, UnaryOperator.identity())
                : new AvroUsageRows(file, displayName);
    }

    /** The rows of one unit listed by {@link #units}; a file changed since is bad input. */
    public UsageFileReader(InputUnit unit) {
        this(unit, UnaryOperator.identity());
    }

    /**
     * As {@link #UsageFileReader(InputUnit)}, a Parquet file's dictionary-encoded text passed through
     * {@code dictionaryText} once per dictionary entry (an equal String: {@link CanonicalText}).
     */
    public UsageFileReader(InputUnit unit, UnaryOperator<String> dictionaryText) {
        if (UsageFiles.isParquet(unit.file())) {
            ParquetUsageRows parquet = new ParquetUsageRows(unit.file(), unit.displayName(), dictionaryText);
            parquet.onlyUnit(unit);
            this.rows = parquet;
        } else if (unit.rowGroup() == 0) {
            this.rows = new AvroUsageRows(unit.file(), unit.displayName());
        } else {
            throw new IllegalArgumentException("an Avro file has one unit, numbered 0: " + unit);
        }
    }

    /**
     * The units of a file, in file order: its Parquet row groups, each cut into near-equal ranges
     * where the file allows ({@link ParquetUsageRows#ROWS_PER_UNIT}), or the whole Avro file (whose
     * rows are counted here). Checks the file as opening it for reading does.
     */
    public static List<InputUnit> units(Path file, String displayName) {
        if (UsageFiles.isParquet(file)) {
            try (ParquetUsageRows parquet = new ParquetUsageRows(file, displayName, UnaryOperator.identity())) {
                return parquet.units();
            } catch (IOException e) {
                throw UsageRows.unreadable(file, 0, e);
            }
        }
        try (AvroUsageRows avro = new AvroUsageRows(file, displayName)) {
            return List.of(new InputUnit(file, displayName, 0, 0, avro.countRows()));
        } catch (IOException e) {
            throw UsageRows.unreadable(file, 0, e);
        }
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public RawRow next() {
        return rows.next();
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }

    /** A value of the wrong type in one row: that row is rejected (reason bad_value), the file is not. */
    public static final class BadRowValueException extends RuntimeException {
        BadRowValueException(String message) {
            super(message);
        }
    }
}
