package tally.infra;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.ColumnIndexStore;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Reads top-level columns of a Parquet file one row group at a time, in batches of up to
 * {@link #BATCH_ROWS} rows, column by column with parquet-column's own readers: no record assembly,
 * no Avro, no Hadoop (about 0.4 us per 18-column usage row on one core, parquet-avro's GenericRecords
 * about 0.65).
 *
 * <p>Values come by physical type: BOOLEAN as booleans, INT32 as ints, INT64 as longs (what a
 * logical annotation such as TIMESTAMP or DECIMAL means is the caller's to decide, from
 * {@link Column#type()}), every other type as text: BINARY and FIXED_LEN_BYTE_ARRAY as UTF-8 with or
 * without the STRING annotation (a UUID as its canonical text, a DECIMAL as its decimal number),
 * FLOAT and DOUBLE as Java's decimal text (so no caller computes with binary floating point). The
 * text of a dictionary-encoded column chunk is decoded once per dictionary entry, not per row, and
 * passed through the reader's {@code dictionaryText} (the caller's canonical instance of it, say). A
 * column the file does not have reads as null in every row; a group, a repeated field or an INT96
 * column is refused.
 *
 * <p>A reader and its batches belong to one thread; to read row groups in parallel, open one reader
 * per thread.
 */
public final class ParquetBatchReader implements Closeable {

    /** Rows per batch: the arrays of 18 columns stay in the CPU caches, and a page's values are read in runs. */
    public static final int BATCH_ROWS = 8192;

    private final ParquetFileReader file;
    private final MessageType schema;
    private final List<RowGroup> rowGroups;
    private final VersionParser.ParsedVersion writerVersion;
    private final UnaryOperator<String> dictionaryText;

    private ParquetBatchReader(ParquetFileReader file, UnaryOperator<String> dictionaryText) {
        this.file = file;
        this.dictionaryText = dictionaryText;
        this.schema = file.getFooter().getFileMetaData().getSchema();
        List<RowGroup> groups = new ArrayList<>();
        long firstRow = 0;
        for (BlockMetaData block : file.getRowGroups()) {
            groups.add(new RowGroup(groups.size(), firstRow, block.getRowCount()));
            firstRow += block.getRowCount();
        }
        this.rowGroups = List.copyOf(groups);
        this.writerVersion = writerVersion(file.getFooter().getFileMetaData().getCreatedBy());
    }

    /** The writer's version, for parquet-column's workarounds of old writers' bugs; null when the footer does not say. */
    private static VersionParser.ParsedVersion writerVersion(String createdBy) {
        try {
            return VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException e) {
            return null;
        }
    }

    public static ParquetBatchReader open(Path file) throws IOException {
        return open(new LocalFileInput(file), UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path)}, each dictionary entry's text passed through {@code dictionaryText}
     * once, when its column chunk's dictionary page is read: rows show what it returns. It must
     * return an equal String (a canonical instance, so that later lookups and comparisons of the
     * value succeed by identity); it is called from the reading thread.
     */
    public static ParquetBatchReader open(Path file, UnaryOperator<String> dictionaryText) throws IOException {
        return open(new LocalFileInput(file), dictionaryText);
    }

    /** A Parquet file in memory; the bytes are read in place. */
    public static ParquetBatchReader open(byte[] file) throws IOException {
        return open(new ByteArrayInputFile(file), UnaryOperator.identity());
    }

    /**
     * Reads the footer; a file that is not Parquet fails here (IOException or RuntimeException, as
     * parquet-mr throws them). A row group's column chunks are read into direct memory: a reading
     * thread holds a whole row group (128 MB in the files of most writers), which on the heap left
     * staging's threads fighting the garbage collector for a 1 GiB heap.
     */
    private static ParquetBatchReader open(InputFile file, UnaryOperator<String> dictionaryText) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .withAllocator(DirectByteBufferAllocator.getInstance())
                .build();
        return new ParquetBatchReader(ParquetFileReader.open(file, options), dictionaryText);
    }

    public MessageType schema() {
        return schema;
    }

    /** One row group: its position in the file, the number of its first row (0-based, counted over the whole file), its rows. */
    public record RowGroup(int index, long firstRow, long rows) {
    }

    /** The file's row groups in file order. */
    public List<RowGroup> rowGroups() {
        return rowGroups;
    }

    /**
     * The top-level column of that name, or null when the file has none.
     *
     * @throws IllegalArgumentException when it is a group, repeated, or INT96: not a value this reader reads
     */
    public PrimitiveType column(String name) {
        if (!schema.containsField(name)) {
            return null;
        }
        Type field = schema.getType(name);
        if (!field.isPrimitive()) {
            throw new IllegalArgumentException("column " + name + " is a group, not a single value");
        }
        if (field.isRepetition(Type.Repetition.REPEATED)) {
            throw new IllegalArgumentException("column " + name + " is repeated, not a single value");
        }
        PrimitiveType type = field.asPrimitiveType();
        if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            throw new IllegalArgumentException("column " + name + " has type INT96 (legacy Impala/Spark timestamps), "
                    + "which is not read: write it as INT64 with a TIMESTAMP annotation");
        }
        return type;
    }

    /**
     * Batches of the named columns over one row group, in the order of {@code columns}. Only those
     * columns' chunks are read from the file.
     *
     * @throws IllegalArgumentException as {@link #column(String)}
     */
    public Batches read(int rowGroup, List<String> columns) throws IOException {
        return read(rowGroup, 0, rowGroups.get(rowGroup).rows(), columns);
    }

    /**
     * Batches of the named columns over rows {@code [fromRow, fromRow + rows)} of one row group
     * (counted from the group's first row), in the order of {@code columns}. Only the pages holding
     * those rows are read when the range is not the whole group, which needs the file's offset
     * indexes ({@link #canReadRanges}); each column's reader skips the rows of its pages outside the
     * range, so the columns stay row-aligned though their pages are not.
     *
     * @throws IllegalArgumentException as {@link #column(String)}, or for a range outside the group
     */
    public Batches read(int rowGroup, long fromRow, long rows, List<String> columns) throws IOException {
        if (Set.copyOf(columns).size() != columns.size()) {
            throw new IllegalArgumentException("a column is asked for twice: " + columns);
        }
        RowGroup group = rowGroups.get(rowGroup);
        if (fromRow < 0 || rows < 0 || fromRow + rows > group.rows()) {
            throw new IllegalArgumentException("rows " + fromRow + " to " + (fromRow + rows) + " are not in row group "
                    + rowGroup + " of " + group.rows() + " rows");
        }
        List<Column> values = new ArrayList<>(columns.size());
        for (String name : columns) {
            PrimitiveType type = column(name);
            values.add(new Column(name, type, type == null ? null : schema.getColumnDescription(new String[]{name}),
                    dictionaryText));
        }
        long firstRow = group.firstRow() + fromRow;
        if (rows == 0) {
            return new Batches(firstRow, 0, values, null);
        }
        List<Column> present = values.stream().filter(c -> c.descriptor != null).toList();
        file.setRequestedSchema(present.stream().map(c -> c.descriptor).toList());
        PageReadStore pages = rows == group.rows() ? file.readRowGroup(rowGroup)
                : file.readFilteredRowGroup(rowGroup, RowRanges.builder().addSelectedRange(fromRow, fromRow + rows - 1).build());
        try {
            ColumnIndexStore indexes = rows < group.rows() ? file.getColumnIndexStore(rowGroup) : null;
            for (Column column : present) {
                column.reader = new ColumnReaderImpl(column.descriptor, pages.getPageReader(column.descriptor),
                        column.converter(), writerVersion);
                if (indexes != null) {
                    // The column's pages start at its first page holding the range's first row: skip to it.
                    OffsetIndex pagesIndex = indexes.getOffsetIndex(ColumnPath.get(column.name));
                    int page = 0;
                    while (page + 1 < pagesIndex.getPageCount() && pagesIndex.getFirstRowIndex(page + 1) <= fromRow) {
                        page++;
                    }
                    column.skip(fromRow - pagesIndex.getFirstRowIndex(page));
                }
            }
        } catch (RuntimeException e) {
            pages.close();
            throw e;
        }
        return new Batches(firstRow, rows, values, pages);
    }

    /**
     * Whether a range of a row group's rows can be read without reading the whole group: every one
     * of these columns that the file has comes with an offset index (parquet-java writes them;
     * some writers do not).
     */
    public boolean canReadRanges(int rowGroup, List<String> columns) {
        ColumnIndexStore indexes = file.getColumnIndexStore(rowGroup);
        for (String name : columns) {
            if (column(name) == null) {
                continue;
            }
            try {
                if (indexes.getOffsetIndex(ColumnPath.get(name)) == null) {
                    return false;
                }
            } catch (ColumnIndexStore.MissingOffsetIndexException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** How a column's values are held: by its physical type, text for all but booleans and integers. */
    public enum Kind {
        /** Not in the file: every row is null. */
        ABSENT, BOOLEAN, INT, LONG, TEXT
    }

    /** The batches of one row group or range of it; the values of a batch are valid until the next call to {@link #next()}. */
    public static final class Batches implements AutoCloseable {
        private final List<Column> columns;
        private final PageReadStore pages;
        private long nextRow;
        private final long endRow;
        private long firstRow;
        private int size;

        private Batches(long firstRow, long rows, List<Column> columns, PageReadStore pages) {
            this.columns = columns;
            this.pages = pages;
            this.nextRow = firstRow;
            this.endRow = firstRow + rows;
        }

        /** Reads the next batch of every column; false when the row group has no rows left. */
        public boolean next() {
            if (nextRow == endRow) {
                size = 0;
                return false;
            }
            size = (int) Math.min(BATCH_ROWS, endRow - nextRow);
            for (Column column : columns) {
                column.fill(size);
            }
            firstRow = nextRow;
            nextRow += size;
            return true;
        }

        /** Rows in the current batch. */
        public int size() {
            return size;
        }

        /** The number of the current batch's first row, 0-based, counted over the whole file. */
        public long firstRow() {
            return firstRow;
        }

        /** The i-th of the columns asked for. */
        public Column column(int i) {
            return columns.get(i);
        }

        @Override
        public void close() {
            if (pages != null) {
                pages.close();
            }
        }
    }

    /**
     * One column's values in the current batch, by row within the batch. Ask {@link #isNull} first:
     * the value of a null row is unspecified. Read a value with the accessor of the column's
     * {@link #kind()} ({@link #longValue} also serves INT columns).
     */
    public static final class Column {
        private final String name;
        private final PrimitiveType type;
        private final ColumnDescriptor descriptor;
        private final Kind kind;
        private final UnaryOperator<String> dictionaryText;
        private final boolean[] nulls = new boolean[BATCH_ROWS];
        private boolean[] booleans;
        private int[] ints;
        private long[] longs;
        private String[] texts;
        private ColumnReader reader;
        /** The row of the batch the converter writes to. */
        private int row;

        private Column(String name, PrimitiveType type, ColumnDescriptor descriptor, UnaryOperator<String> dictionaryText) {
            this.name = name;
            this.dictionaryText = dictionaryText;
            this.type = type;
            this.descriptor = descriptor;
            this.kind = type == null ? Kind.ABSENT : switch (type.getPrimitiveTypeName()) {
                case BOOLEAN -> Kind.BOOLEAN;
                case INT32 -> Kind.INT;
                case INT64 -> Kind.LONG;
                default -> Kind.TEXT;
            };
            switch (kind) {
                case ABSENT -> Arrays.fill(nulls, true);
                case BOOLEAN -> booleans = new boolean[BATCH_ROWS];
                case INT -> ints = new int[BATCH_ROWS];
                case LONG -> longs = new long[BATCH_ROWS];
                case TEXT -> texts = new String[BATCH_ROWS];
            }
        }

        public String name() {
            return name;
        }

        /** The column's type in the file (physical type and logical annotation); null when absent. */
        public PrimitiveType type() {
            return type;
        }

        public Kind kind() {
            return kind;
        }

        public boolean isNull(int row) {
            return nulls[row];
        }

        public boolean booleanValue(int row) {
            return booleans[row];
        }

        public int intValue(int row) {
            return ints[row];
        }

        /** The value of an INT64 column, or of an INT32 column widened. */
        public long longValue(int row) {
            return kind == Kind.INT ? ints[row] : longs[row];
        }

        public String text(int row) {
            return texts[row];
        }

        /** Passes over the next {@code rows} rows without reading their values. */
        private void skip(long rows) {
            int maxDefinitionLevel = descriptor.getMaxDefinitionLevel();
            for (long r = 0; r < rows; r++) {
                if (reader.getCurrentDefinitionLevel() == maxDefinitionLevel) {
                    reader.skip();
                }
                reader.consume();
            }
        }

        private void fill(int rows) {
            if (reader == null) {
                return;
            }
            int maxDefinitionLevel = descriptor.getMaxDefinitionLevel();
            for (int r = 0; r < rows; r++) {
                boolean isNull = reader.getCurrentDefinitionLevel() != maxDefinitionLevel;
                nulls[r] = isNull;
                if (!isNull) {
                    row = r;
                    reader.writeCurrentValueToConverter();
                }
                reader.consume();
            }
        }

        private PrimitiveConverter converter() {
            return switch (kind) {
                case BOOLEAN -> new PrimitiveConverter() {
                    @Override
                    public void addBoolean(boolean value) {
                        booleans[row] = value;
                    }
                };
                case INT -> new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        ints[row] = value;
                    }
                };
                case LONG -> new PrimitiveConverter() {
                    @Override
                    public void addLong(long value) {
                        longs[row] = value;
                    }
                };
                case TEXT -> new TextConverter();
                case ABSENT -> throw new IllegalStateException("column " + name + " is not in the file");
            };
        }

        /** Text of each value; a dictionary's entries are decoded once, when the column chunk's dictionary page is read. */
        private final class TextConverter extends PrimitiveConverter {
            private final boolean uuid = type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
            private final int decimalScale = type.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal ? decimal.getScale() : -1;
            private String[] dictionary;

            @Override
            public boolean hasDictionarySupport() {
                return true;
            }

            @Override
            public void setDictionary(Dictionary entries) {
                dictionary = new String[entries.getMaxId() + 1];
                for (int id = 0; id < dictionary.length; id++) {
                    dictionary[id] = dictionaryText.apply(switch (type.getPrimitiveTypeName()) {
                        case FLOAT -> Float.toString(entries.decodeToFloat(id));
                        case DOUBLE -> Double.toString(entries.decodeToDouble(id));
                        default -> text(entries.decodeToBinary(id));
                    });
                }
            }

            @Override
            public void addValueFromDictionary(int id) {
                texts[row] = dictionary[id];
            }

            @Override
            public void addBinary(Binary value) {
                texts[row] = text(value);
            }

            @Override
            public void addFloat(float value) {
                texts[row] = Float.toString(value);
            }

            @Override
            public void addDouble(double value) {
                texts[row] = Double.toString(value);
            }

            private String text(Binary value) {
                if (uuid) {
                    ByteBuffer bytes = value.toByteBuffer();
                    return new UUID(bytes.getLong(bytes.position()), bytes.getLong(bytes.position() + 8)).toString();
                }
                if (decimalScale >= 0) {
                    return new BigDecimal(new BigInteger(value.getBytesUnsafe()), decimalScale).toString();
                }
                return value.toStringUsingUTF8();
            }
        }
    }
}
