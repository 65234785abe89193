package tally.usage;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import tally.infra.BadInputException;
import tally.infra.ParquetBatchReader;
import tally.infra.ParquetBatchReader.Column;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * The rows of a range of row groups of a Parquet file, read in batches with {@link ParquetBatchReader}.
 * Integer columns are INT32 or INT64 without a DECIMAL annotation (other annotations are ignored); a
 * text column of another type reads as its value's text (a DECIMAL's as the decimal number).
 */
final class ParquetUsageRows extends UsageRows {

    /**
     * Rows a unit is cut to at most, where the file's offset indexes allow reading a range of a row
     * group (system property {@code tally.stage.rows-per-unit}). Staging's threads take units one at
     * a time, so a day ends with at most one unit's work on one thread: with units of whole row
     * groups, a day of two 128 MB row groups (5.4M and 4.6M rows) left one of two cores idle for its
     * last ~4 s, and a file of one row group was read on one thread.
     */
    static final long ROWS_PER_UNIT = Long.getLong("tally.stage.rows-per-unit", 250_000);

    private final Path file;
    private final String displayName;
    private final ParquetBatchReader parquet;
    /** Scale of each of {@link #COLUMNS} that is an integer with a DECIMAL annotation, else -1. */
    private final int[] decimalScale = new int[COLUMNS.size()];
    private final TimestampUnit occurredAtUnit;
    private int nextRowGroup;
    private int endRowGroup;
    private ParquetBatchReader.Batches batches;
    private int batchRow;
    private int batchSize;
    /** Row of the current batch that {@link #text}, {@link #integer} and {@link #occurredAtMicros} read. */
    private int current;
    /** Number (1-based, over the whole file) of the last row handed out, or of the row before the first row group read. */
    private long lastRow;
    /** The unit read ({@link #onlyUnit}): its first row within its row group, and its rows (-1: whole row groups). */
    private long unitFromRow;
    private long unitRows = -1;

    /**
     * Opens the file and checks the types of Tally's columns; reads no rows yet, and every row group
     * by default. Dictionary-encoded text passes through {@code dictionaryText} once per entry
     * ({@link ParquetBatchReader#open(Path, UnaryOperator)}).
     */
    ParquetUsageRows(Path file, String displayName, UnaryOperator<String> dictionaryText) {
        this.file = file;
        this.displayName = displayName;
        try {
            parquet = ParquetBatchReader.open(file, dictionaryText);
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, 0, e);
        }
        try {
            PrimitiveType[] types = new PrimitiveType[COLUMNS.size()];
            for (int c = 0; c < types.length; c++) {
                types[c] = parquet.column(COLUMNS.get(c));
                decimalScale[c] = types[c] != null && types[c].getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal ? decimal.getScale() : -1;
            }
            occurredAtUnit = types[OCCURRED_AT] == null ? null : timestampUnit(types[OCCURRED_AT]);
        } catch (IllegalArgumentException e) {
            closeAfterFailure(parquet);
            throw unreadable(file, 0, e);
        } catch (RuntimeException e) {
            closeAfterFailure(parquet);
            throw e;
        }
        endRowGroup = parquet.rowGroups().size();
    }

    private TimestampUnit timestampUnit(PrimitiveType type) {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                && annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
            return switch (timestamp.getUnit()) {
                case MILLIS -> TimestampUnit.MILLIS;
                case MICROS -> TimestampUnit.MICROS;
                case NANOS -> TimestampUnit.NANOS;
            };
        }
        throw notATimestamp(file, type.getPrimitiveTypeName() + (annotation == null ? "" : " (" + annotation + ")"));
    }

    /**
     * The file's units in file order: each row group, cut into near-equal ranges of at most
     * {@link #ROWS_PER_UNIT} rows when the file's offset indexes let a range be read alone.
     */
    List<InputUnit> units() {
        List<InputUnit> units = new ArrayList<>();
        for (ParquetBatchReader.RowGroup g : parquet.rowGroups()) {
            units.addAll(parquet.canReadRanges(g.index(), COLUMNS) ? cuts(g) : List.of(whole(g)));
        }
        return units;
    }

    private InputUnit whole(ParquetBatchReader.RowGroup g) {
        return new InputUnit(file, displayName, g.index(), g.firstRow(), g.rows());
    }

    /** The row group in near-equal ranges of at most {@link #ROWS_PER_UNIT} rows. */
    private List<InputUnit> cuts(ParquetBatchReader.RowGroup g) {
        long parts = Math.max(1, (g.rows() + ROWS_PER_UNIT - 1) / ROWS_PER_UNIT);
        List<InputUnit> units = new ArrayList<>();
        for (long part = 0; part < parts; part++) {
            long from = g.rows() * part / parts;
            long to = g.rows() * (part + 1) / parts;
            units.add(new InputUnit(file, displayName, g.index(), g.firstRow() + from, to - from));
        }
        return units;
    }

    /**
     * From now on, read only that unit's rows; the file must still have it among its units (the
     * row group whole, or one of its cuts: whichever the file allowed when it was listed).
     */
    void onlyUnit(InputUnit unit) {
        List<ParquetBatchReader.RowGroup> groups = parquet.rowGroups();
        ParquetBatchReader.RowGroup group = unit.rowGroup() < groups.size() ? groups.get(unit.rowGroup()) : null;
        if (group == null || !(unit.equals(whole(group)) || cuts(group).contains(unit))) {
            closeAfterFailure(parquet);
            throw new BadInputException("input file " + file + " has changed since it was listed: it has no unit of "
                    + unit.rows() + " rows from row " + (unit.firstRow() + 1) + " in row group " + unit.rowGroup());
        }
        nextRowGroup = unit.rowGroup();
        endRowGroup = unit.rowGroup() + 1;
        lastRow = unit.firstRow();
        unitFromRow = unit.firstRow() - group.firstRow();
        unitRows = unit.rows();
    }

    @Override
    public boolean hasNext() {
        if (batchRow < batchSize) {
            return true;
        }
        try {
            while (batches == null || !batches.next()) {
                if (batches != null) {
                    batches.close();
                    batches = null;
                }
                if (nextRowGroup == endRowGroup) {
                    return false;
                }
                batches = unitRows < 0 ? parquet.read(nextRowGroup, COLUMNS)
                        : parquet.read(nextRowGroup, unitFromRow, unitRows, COLUMNS);
                nextRowGroup++;
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, lastRow, e);
        }
        batchRow = 0;
        batchSize = batches.size();
        return true;
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        current = batchRow++;
        lastRow = batches.firstRow() + current + 1;
        return row(displayName, lastRow);
    }

    @Override
    String text(int column) {
        Column values = batches.column(column);
        if (values.isNull(current)) {
            return null;
        }
        return switch (values.kind()) {
            case TEXT -> values.text(current);
            case INT, LONG -> decimalScale[column] < 0 ? Long.toString(values.longValue(current))
                    : BigDecimal.valueOf(values.longValue(current), decimalScale[column]).toString();
            case BOOLEAN -> Boolean.toString(values.booleanValue(current));
            case ABSENT -> null; // never: every row of an absent column is null
        };
    }

    @Override
    Long integer(int column) {
        Column values = batches.column(column);
        if (values.isNull(current)) {
            return null;
        }
        boolean integer = (values.kind() == ParquetBatchReader.Kind.INT || values.kind() == ParquetBatchReader.Kind.LONG)
                && decimalScale[column] < 0;
        if (!integer) {
            throw nonInteger(column, text(column));
        }
        return values.longValue(current);
    }

    @Override
    Long occurredAtMicros() {
        Column values = batches.column(OCCURRED_AT);
        return values.isNull(current) ? null : occurredAtUnit.toMicros(values.longValue(current));
    }

    @Override
    public void close() throws IOException {
        if (batches != null) {
            batches.close();
        }
        parquet.close();
    }
}
