package tally.rating;

import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import tally.infra.AvroParquet;
import tally.infra.BytesOutputFile;
import tally.infra.ParquetCodecs;
import tally.infra.StringCodes;
import tally.infra.StringDictionaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link RatedEvent}s column by column (no Avro records, no record consumer) into an
 * in-memory Parquet file of one row group: a rated segment. The file is what parquet-avro writes
 * for {@code schemas/rated_event.avsc}: the same Parquet schema ({@link #SCHEMA}, derived by
 * {@link AvroSchemaConverter}), decimals as Avro's bytes, the Avro schema in the footer
 * ({@code parquet.avro.schema}), snappy, column statistics and page indexes, dictionaries except
 * for the nearly unique columns ({@link #PLAIN_COLUMNS}). What differs is how it is written (no
 * records, a dictionary survives a first page of nulls) and that columns whose statistics could
 * never prune have none ({@link #NO_STATISTICS_COLUMNS}).
 *
 * <p>{@link #add} rows, then {@link #finish} returns the file and starts the next segment with the
 * same settings and output buffer. One thread at a time.
 */
public final class RatedSegmentWriter {

    /** The Parquet schema parquet-avro derives from {@code rated_event.avsc}. */
    public static final MessageType SCHEMA = new AvroSchemaConverter(new PlainParquetConfiguration())
            .convert(RatedEvent.AVRO_SCHEMA);

    /** Footer metadata parquet-avro writes, so its readers (and Spark, via parquet-mr) see the Avro schema. */
    static final Map<String, String> FOOTER = Map.of("parquet.avro.schema", RatedEvent.AVRO_SCHEMA.toString(),
            "writer.model.name", "avro");

    /**
     * Columns written without a dictionary: (nearly) one value per row in a segment, where a
     * dictionary only costs time until Parquet gives up on it (see {@code AvroParquet}).
     * occurred_at is micro-seconds within a day: unique per row in practice. Money has many values
     * (token prices): its dictionaries saved 2% of a segment's bytes and made writing 30% slower
     * (1.14 instead of 0.88 CPU us/row, WriteBench).
     */
    public static final List<String> PLAIN_COLUMNS = concat(AvroParquet.NEARLY_UNIQUE_COLUMNS,
            List.of("occurred_at", "cost_cents", "charge_cents"));

    /**
     * Columns written without statistics (min, max, null count; per chunk and in the page index):
     * in a segment (one bucket of accounts, in rating order) their values spread over the whole
     * range, so no row group or page could ever be skipped on them, and their min and max (strings
     * and decimals) cost 16% of the writer's time (1.02 instead of 0.88 CPU us/row, WriteBench).
     * Dates, numbers and the sorted or few-valued strings (resource_id, kind, status, billing_mode,
     * rules_version, provider, model) keep theirs: 0.05 us/row.
     */
    public static final List<String> NO_STATISTICS_COLUMNS = List.of("event_id", "posting_id", "conversation_id",
            "account_id", "payer_account_id", "cost_cents", "charge_cents");

    /**
     * The settings of every segment: parquet-avro's defaults (format v1 pages, 1 MiB pages, 20k rows
     * a page, statistics, size statistics, page checksums) with {@link #PLAIN_COLUMNS} plain,
     * {@link #NO_STATISTICS_COLUMNS} without statistics, and Tally's string dictionaries
     * ({@link StringDictionaries}: they survive a first page of nulls).
     */
    public static final ParquetProperties PROPERTIES = settings().build();

    /**
     * A new builder of {@link #PROPERTIES}' settings, to measure variants of them. Build variants from
     * here, not from {@code ParquetProperties.copy(PROPERTIES)}: a copy shares, and re-initializes,
     * the values writer factory of the properties it copies.
     */
    public static ParquetProperties.Builder settings() {
        ParquetProperties.Builder builder = ParquetProperties.builder().withValuesWriterFactory(new StringDictionaries());
        for (String column : NO_STATISTICS_COLUMNS) {
            builder.withStatisticsEnabled(column, false);
        }
        return plain(builder, PLAIN_COLUMNS);
    }

    static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    /** Positions in {@link RatedEvent#COLUMNS}. */
    private static final int EVENT_ID = 0, ARRIVAL_DATE = 1, OCCURRED_AT = 2, USAGE_DATE = 3, KIND = 4, ACCOUNT_ID = 5,
            PAYER_ACCOUNT_ID = 6, RESOURCE_ID = 7, BILLING_MODE = 8, STATUS = 9, TOKENS_INPUT = 10, TOKENS_OUTPUT = 11,
            QUANTITY = 12, COST_CENTS = 13, CHARGE_CENTS = 14, CAPPED = 15, POSTING_ID = 16, RULES_VERSION = 17,
            CONVERSATION_ID = 18, PROVIDER = 19, MODEL = 20;

    private static final ColumnDescriptor[] DESCRIPTORS = descriptors();
    /** Distinct values a dictionary column remembers Binaries of per segment (beyond them, each value is encoded again). */
    private static final int MAX_BINARIES_PER_COLUMN = 1 << 16;

    private final ParquetProperties properties;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final BytesOutputFile out;
    /** Definition level of a present value, per column (0 for a required column, 1 for an optional one). */
    private final int[] presentLevel = new int[DESCRIPTORS.length];
    private final ColumnWriter[] columns = new ColumnWriter[DESCRIPTORS.length];
    /**
     * Per dictionary string column, the code of each value written to the segment and, by code, its
     * Binary (null: a plain or non-string column).
     */
    private final StringCodes[] codes = new StringCodes[DESCRIPTORS.length];
    private final List<Binary>[] binaries;
    /** Per money column, the last value written and its bytes. */
    private final long[] previousUcents = new long[DESCRIPTORS.length];
    private final Binary[] previousBinary = new Binary[DESCRIPTORS.length];
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private int rows;

    public RatedSegmentWriter() {
        this(PROPERTIES);
    }

    /** A writer with other settings (measurements); files written must still read as {@link #SCHEMA}. */
    public RatedSegmentWriter(ParquetProperties properties) {
        this.properties = properties;
        this.compressor = ParquetCodecs.INSTANCE.getCompressor(CODEC);
        this.out = new BytesOutputFile(1 << 20);
        binaries = newBinaryLists(properties);
        for (int i = 0; i < DESCRIPTORS.length; i++) {
            codes[i] = binaries[i] == null ? null : new StringCodes();
        }
        for (int i = 0; i < DESCRIPTORS.length; i++) {
            presentLevel[i] = DESCRIPTORS[i].getMaxDefinitionLevel();
        }
        startSegment();
    }

    /** {@code builder} with a dictionary for no column of {@code columns}. */
    public static ParquetProperties.Builder plain(ParquetProperties.Builder builder, List<String> columns) {
        for (String column : columns) {
            builder.withDictionaryEncoding(column, false);
        }
        return builder;
    }

    @SuppressWarnings("unchecked")
    private static List<Binary>[] newBinaryLists(ParquetProperties properties) {
        List<Binary>[] lists = new List[DESCRIPTORS.length];
        for (int i = 0; i < DESCRIPTORS.length; i++) {
            ColumnDescriptor column = DESCRIPTORS[i];
            if (column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                    && column.getPrimitiveType().getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    && properties.isDictionaryEnabled(column)) {
                lists[i] = new ArrayList<>();
            }
        }
        return lists;
    }

    private void startSegment() {
        pages = ColumnChunkPageWriteStore.builder()
                .withCompressorProvider(column -> compressor)
                .withSchema(SCHEMA)
                .withAllocator(properties.getAllocator())
                .withColumnIndexTruncateLength(properties.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(properties.getPageWriteChecksumEnabled())
                .build();
        store = properties.newColumnWriteStore(SCHEMA, pages, pages);
        for (int i = 0; i < DESCRIPTORS.length; i++) {
            columns[i] = store.getColumnWriter(DESCRIPTORS[i]);
            if (binaries[i] != null) {
                binaries[i].clear();
                codes[i].clear();
            }
        }
        rows = 0;
    }

    public void add(RatedEvent event) {
        string(EVENT_ID, event.eventId());
        columns[ARRIVAL_DATE].write(event.arrivalEpochDay(), 0, 0);
        columns[OCCURRED_AT].write(event.occurredAtMicros(), 0, 0);
        columns[USAGE_DATE].write(event.usageEpochDay(), 0, 0);
        string(KIND, event.kind());
        string(ACCOUNT_ID, event.accountId());
        string(PAYER_ACCOUNT_ID, event.payerAccountId());
        string(RESOURCE_ID, event.resourceId());
        string(BILLING_MODE, event.billingMode());
        string(STATUS, event.status());
        columns[TOKENS_INPUT].write(event.tokensInput(), 0, 0);
        columns[TOKENS_OUTPUT].write(event.tokensOutput(), 0, 0);
        columns[QUANTITY].write(event.quantity(), 0, 0);
        money(COST_CENTS, event.costUcents());
        money(CHARGE_CENTS, event.chargeUcents());
        columns[CAPPED].write(event.capped(), 0, 0);
        string(POSTING_ID, event.postingId());
        string(RULES_VERSION, event.rulesVersion());
        string(CONVERSATION_ID, event.conversationId());
        string(PROVIDER, event.provider());
        string(MODEL, event.model());
        store.endRecord();
        rows++;
    }

    /**
     * A string column's value, or its null (RatedEvent refuses null for a required column). A
     * dictionary column writes one Binary instance per distinct value of the segment, so that its
     * dictionary finds the value's id by identity ({@link StringDictionaries}); a plain column's
     * value is encoded where it is written. Binaries are over byte arrays: they compare and hash
     * faster than {@code Binary.fromString}'s, which are over ByteBuffers.
     */
    private void string(int column, String value) {
        if (value == null) {
            columns[column].writeNull(0, 0);
            return;
        }
        columns[column].write(binaryOf(column, value), 0, presentLevel[column]);
    }

    /** The value's Binary: the one written before in this segment, if its column remembers it. */
    private Binary binaryOf(int column, String value) {
        StringCodes seen = codes[column];
        int code = seen == null ? -1
                : seen.size() < MAX_BINARIES_PER_COLUMN ? seen.codeOrAdd(value) : seen.codeOf(value);
        if (code >= 0) {
            return binaries[column].get(code);
        }
        Binary binary = Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8));
        if (seen != null && binaries[column].size() < seen.size()) {
            binaries[column].add(binary); // the code codeOrAdd just gave it
        }
        return binary;
    }

    /** A decimal(24,6) cents column's value from micro-cents: the unscaled value. A repeated value is the same Binary. */
    private void money(int column, long ucents) {
        if (ucents != previousUcents[column] || previousBinary[column] == null) {
            previousUcents[column] = ucents;
            previousBinary[column] = Binary.fromConstantByteArray(AvroParquet.decimalBytes(ucents));
        }
        columns[column].write(previousBinary[column], 0, 0);
    }

    /** Rows added to the segment being written. */
    public int rows() {
        return rows;
    }

    /** Bytes the segment being written holds in memory so far (encoded, before the last pages are compressed). */
    public long bufferedBytes() {
        return store.getBufferedSize();
    }

    /**
     * The segment written since the last finish: one Parquet file of one row group (none if no row
     * was added). The writer then starts the next segment.
     */
    public byte[] finish() {
        try {
            writeFile(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a rated segment cannot be written", e);
        } finally {
            store.close();
            pages.close();
            startSegment();
        }
    }

    private void writeFile(OutputFile file) throws IOException {
        try (ParquetFileWriter writer = new ParquetFileWriter(file, SCHEMA, ParquetFileWriter.Mode.OVERWRITE,
                ParquetWriter.DEFAULT_BLOCK_SIZE, 0, null, properties)) {
            writer.start();
            if (rows > 0) {
                writer.startBlock(rows);
                store.flush();
                pages.flushToFileWriter(writer);
                writer.endBlock();
            }
            writer.end(FOOTER);
        }
    }

    private static ColumnDescriptor[] descriptors() {
        List<String> names = RatedEvent.COLUMNS;
        if (SCHEMA.getColumns().size() != names.size()) {
            throw new IllegalStateException("rated_event.avsc has " + SCHEMA.getColumns().size() + " columns, RatedEvent "
                    + names.size());
        }
        ColumnDescriptor[] descriptors = new ColumnDescriptor[names.size()];
        for (int i = 0; i < descriptors.length; i++) {
            descriptors[i] = SCHEMA.getColumnDescription(new String[] {names.get(i)});
        }
        // add() writes these with definition level 0: they must stay required.
        for (int i : new int[] {ARRIVAL_DATE, OCCURRED_AT, USAGE_DATE, TOKENS_INPUT, TOKENS_OUTPUT, QUANTITY, COST_CENTS,
                CHARGE_CENTS, CAPPED}) {
            if (descriptors[i].getMaxDefinitionLevel() != 0) {
                throw new IllegalStateException("rated_event.avsc made " + names.get(i) + " optional; the writer writes it as required");
            }
        }
        return descriptors;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
