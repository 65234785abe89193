package tally.rating;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.infra.AvroParquet;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tally.rating.RatedSegmentWriterTest.BARE;
import static tally.rating.RatedSegmentWriterTest.FULL;
import static tally.rating.RatedSegmentWriterTest.SMALL;

/**
 * Files of appended segments, read by independent readers: DuckDB, parquet-avro with the avsc, and
 * {@link RatedEventReader}.
 */
class RatedEventFileAppenderTest {

    @TempDir
    Path dir;

    static Connection duck;

    /** Three segments of one writer: 30k realistic rows, the hand-made edge rows, nothing. */
    static final List<List<RatedEvent>> SEGMENTS = new ArrayList<>();
    static final List<byte[]> SEGMENT_BYTES = new ArrayList<>();

    @BeforeAll
    static void segments() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
        SEGMENTS.add(List.of(RatedSegmentWriterTest.synthetic(30_000, 11)));
        SEGMENTS.add(List.of(FULL, BARE, SMALL, FULL));
        SEGMENTS.add(List.of());
        RatedSegmentWriter writer = new RatedSegmentWriter();
        for (List<RatedEvent> segment : SEGMENTS) {
            segment.forEach(writer::add);
            SEGMENT_BYTES.add(writer.finish());
        }
    }

    Path appended() {
        Path file = dir.resolve("rated-events/part-0-of-1.parquet");
        try (RatedEventFileAppender appender = new RatedEventFileAppender(file)) {
            SEGMENT_BYTES.forEach(appender::append);
            assertThat(appender.rows()).isEqualTo(30_004);
        }
        return file;
    }

    static List<RatedEvent> all() {
        return SEGMENTS.stream().flatMap(List::stream).toList();
    }

    static List<RatedEvent> read(Path file) {
        List<RatedEvent> events = new ArrayList<>();
        RatedEventReader.forEach(file, events::add);
        return events;
    }

    static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file), AvroParquet.readOptions())) {
            return reader.getFooter();
        }
    }

    @Test
    void theFileHoldsEverySegmentsRowsInOrderOneRowGroupEach() throws IOException {
        Path file = appended();
        assertThat(read(file)).containsExactlyElementsOf(all());
        ParquetMetadata footer = footer(file);
        assertThat(footer.getBlocks()).extracting(BlockMetaData::getRowCount).containsExactly(30_000L, 4L);
        assertThat(footer.getFileMetaData().getSchema()).isEqualTo(new AvroSchemaConverter().convert(AvroParquet.schema("rated_event")));
        assertThat(new Schema.Parser().parse(footer.getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema")))
                .isEqualTo(AvroParquet.schema("rated_event"));
        assertThat(file.resolveSibling(file.getFileName() + ".writing")).doesNotExist();
    }

    @Test
    void statisticsAndPageIndexesAreCopiedWithTheRowGroups() throws IOException {
        Path file = appended();
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file), AvroParquet.readOptions())) {
            BlockMetaData second = reader.getRowGroups().get(1);
            ColumnChunkMetaData usageDate = second.getColumns().get(3);
            assertThat(usageDate.getStatistics().genericGetMin()).isEqualTo(0); // BARE's 1970-01-01
            assertThat(usageDate.getStatistics().genericGetMax()).isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
            for (BlockMetaData block : reader.getRowGroups()) {
                for (ColumnChunkMetaData chunk : block.getColumns()) {
                    String column = chunk.getPath().toDotString();
                    assertThat(reader.readOffsetIndex(chunk).getPageCount()).as(column).isPositive();
                    if (!RatedSegmentWriter.NO_STATISTICS_COLUMNS.contains(column)) {
                        assertThat(reader.readColumnIndex(chunk)).as(column).isNotNull();
                    }
                }
            }
            ColumnChunkMetaData resource = reader.getRowGroups().get(0).getColumns().get(7);
            assertThat(resource.getPath().toDotString()).isEqualTo("resource_id");
            assertThat(reader.readColumnIndex(resource).getMaxValues()).hasSizeGreaterThan(1); // pages of a sorted column
        }
    }

    @Test
    void duckDbReadsTheRowsAndTheirExactMoney() throws SQLException {
        Path file = appended();
        String rated = "read_parquet('" + file + "')";
        assertThat(types(rated)).containsEntry("cost_cents", "DECIMAL(24,6)").containsEntry("charge_cents", "DECIMAL(24,6)")
                .containsEntry("arrival_date", "DATE").containsEntry("occurred_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("capped", "BOOLEAN").containsEntry("tokens_input", "BIGINT").containsEntry("model", "VARCHAR")
                .hasSize(21);
        List<RatedEvent> all = all();
        assertThat(longOf("select count(*) from " + rated)).isEqualTo(all.size());
        assertThat(decimalOf("select sum(cost_cents) from " + rated)).isEqualTo(sumCents(all, RatedEvent::costUcents));
        assertThat(decimalOf("select sum(charge_cents) from " + rated)).isEqualTo(sumCents(all, RatedEvent::chargeUcents));
        assertThat(decimalOf("select max(charge_cents) from " + rated)).isEqualTo(new BigDecimal("9223372036854.775807"));
        assertThat(longOf("select count(*) from " + rated + " where charge_cents = 0.000001 and payer_account_id = ''"))
                .isEqualTo(1);
        assertThat(longOf("select count(*) from " + rated + " where model is null"))
                .isEqualTo(all.stream().filter(e -> e.model() == null).count()).isPositive();
        assertThat(longOf("select count(distinct conversation_id) from " + rated))
                .isEqualTo(all.stream().map(RatedEvent::conversationId).filter(c -> c != null).distinct().count());
        assertThat(longOf("select count(*) from " + rated + " where event_id = 'evt-ü✓-1' and account_id = 'acct_ümlaut'"
                + " and occurred_at = TIMESTAMPTZ '2026-03-01 23:59:59.999999+00' and usage_date = DATE '2026-03-01'"
                + " and tokens_input = 9223372036854775807 and capped")).isEqualTo(2);
    }

    @Test
    void duckDbReadsASegmentAsAFile() throws Exception {
        Path segment = dir.resolve("segment.parquet");
        Files.write(segment, SEGMENT_BYTES.get(1));
        assertThat(longOf("select count(*) from read_parquet('" + segment + "') where posting_id is null")).isEqualTo(1);
        assertThat(decimalOf("select sum(cost_cents) from read_parquet('" + segment + "')"))
                .isEqualTo(sumCents(SEGMENTS.get(1), RatedEvent::costUcents));
    }

    @Test
    void parquetAvroReadsTheFileWithTheAvscSchema() throws IOException {
        Path file = appended();
        Schema avsc = AvroParquet.schema("rated_event");
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, avsc.toString());
        conf.set("parquet.avro.read.schema", avsc.toString()); // AvroReadSupport.setAvroReadSchema, without Hadoop
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), conf)
                .withDataModel(model).withCodecFactory(tally.infra.ParquetCodecs.INSTANCE).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        assertThat(records).hasSize(30_004);
        GenericRecord full = records.get(30_000);
        assertThat(full.getSchema()).isEqualTo(avsc);
        assertThat(full.get("event_id").toString()).isEqualTo(FULL.eventId());
        assertThat(full.get("arrival_date")).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(full.get("occurred_at")).isEqualTo(Instant.parse("2026-03-01T23:59:59.999999Z"));
        assertThat(full.get("cost_cents")).isEqualTo(new BigDecimal("9223372036854.775807"));
        assertThat(full.get("capped")).isEqualTo(true);
        assertThat(full.get("model").toString()).isEqualTo("claude-sonnet-4-6");
        GenericRecord bare = records.get(30_001);
        assertThat(bare.get("charge_cents")).isEqualTo(new BigDecimal("0.000000"));
        assertThat(bare.get("payer_account_id")).isNull();
        assertThat(bare.get("conversation_id")).isNull();
        BigDecimal cost = records.stream().map(r -> (BigDecimal) r.get("cost_cents")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(cost).isEqualTo(sumCents(all(), RatedEvent::costUcents));
    }

    @Test
    void aFileWithoutSegmentsIsAValidEmptyFileOfTheSchema() throws Exception {
        Path file = dir.resolve("empty.parquet");
        new RatedEventFileAppender(file).close();
        assertThat(read(file)).isEmpty();
        assertThat(footer(file).getFileMetaData().getSchema()).isEqualTo(RatedSegmentWriter.SCHEMA);
        assertThat(longOf("select count(*) from read_parquet('" + file + "')")).isZero();
        assertThat(types("read_parquet('" + file + "')")).hasSize(21).containsEntry("cost_cents", "DECIMAL(24,6)");
        Path onlyEmpty = dir.resolve("only-empty-segments.parquet");
        try (RatedEventFileAppender appender = new RatedEventFileAppender(onlyEmpty)) {
            appender.append(SEGMENT_BYTES.get(2));
            appender.append(new RatedSegmentWriter().finish());
        }
        assertThat(footer(onlyEmpty).getBlocks()).isEmpty();
        assertThat(longOf("select count(*) from read_parquet('" + onlyEmpty + "')")).isZero();
    }

    @Test
    void theFileReplacesAnExistingOneOnlyWhenClosed() throws IOException {
        Path file = dir.resolve("rated.parquet");
        Files.writeString(file, "an earlier run's file");
        RatedEventFileAppender appender = new RatedEventFileAppender(file);
        appender.append(SEGMENT_BYTES.get(1));
        assertThat(Files.readString(file)).isEqualTo("an earlier run's file");
        appender.close();
        assertThat(read(file)).containsExactlyElementsOf(SEGMENTS.get(1));
    }

    @Test
    void aSegmentOfAnotherSchemaIsRefusedAndTheFileStillWritten() throws IOException {
        Path other = dir.resolve("reject.parquet");
        Schema rejectSchema = AvroParquet.schema("reject");
        try (AvroParquet.RecordFile out = AvroParquet.create(other, rejectSchema)) {
            GenericData.Record r = new GenericData.Record(rejectSchema);
            for (Schema.Field f : rejectSchema.getFields()) {
                r.put(f.name(), f.schema().getType() == Schema.Type.UNION ? null : sample(f.schema()));
            }
            out.write(r);
        }
        Path file = dir.resolve("rated.parquet");
        try (RatedEventFileAppender appender = new RatedEventFileAppender(file)) {
            assertThatThrownBy(() -> appender.append(Files.readAllBytes(other)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another schema");
            appender.append(SEGMENT_BYTES.get(1));
        }
        assertThat(read(file)).containsExactlyElementsOf(SEGMENTS.get(1));
    }

    @Test
    void aTruncatedSegmentIsRefusedBeforeAnythingIsCopied() {
        Path file = dir.resolve("rated.parquet");
        try (RatedEventFileAppender appender = new RatedEventFileAppender(file)) {
            appender.append(SEGMENT_BYTES.get(1));
            byte[] truncated = Arrays.copyOf(SEGMENT_BYTES.get(0), SEGMENT_BYTES.get(0).length / 2);
            assertThatThrownBy(() -> appender.append(truncated)).isInstanceOf(RuntimeException.class);
            appender.append(SEGMENT_BYTES.get(1));
        }
        assertThat(read(file)).hasSize(8);
    }

    @Test
    void aSegmentFailingMidCopyAbandonsTheFileAndKeepsTheOldOne() throws IOException {
        Path file = dir.resolve("rated.parquet");
        Files.writeString(file, "an earlier run's file");
        byte[] segment = SEGMENT_BYTES.get(0);
        int cut = segment.length / 2; // half the pages gone, the footer intact: chunks point past the data
        byte[] broken = new byte[segment.length - cut];
        System.arraycopy(segment, 0, broken, 0, 4);
        System.arraycopy(segment, 4 + cut, broken, 4, segment.length - 4 - cut);
        RatedEventFileAppender appender = new RatedEventFileAppender(file);
        appender.append(SEGMENT_BYTES.get(1));
        assertThatThrownBy(() -> appender.append(broken)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> appender.append(SEGMENT_BYTES.get(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("abandoned");
        appender.close();
        assertThat(Files.readString(file)).isEqualTo("an earlier run's file");
        assertThat(dir.resolve("rated.parquet.writing")).doesNotExist();
    }

    @Test
    void filesWrittenBeforeTheThreeRerunColumnsReadWithThemNull() throws IOException {
        Schema old = SchemaBuilder.record("RatedEvent").namespace("tally.schemas").fields().endRecord();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : AvroParquet.schema("rated_event").getFields()) {
            if (!List.of("conversation_id", "provider", "model").contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        old = Schema.createRecord(old.getName(), null, old.getNamespace(), false, fields);
        Path file = dir.resolve("old.parquet");
        try (AvroParquet.RecordFile out = AvroParquet.create(file, old)) {
            GenericData.Record r = new GenericData.Record(old);
            r.put("event_id", "e1");
            r.put("arrival_date", 20_514);
            r.put("occurred_at", 1L);
            r.put("usage_date", 20_514);
            r.put("kind", "bot_message");
            r.put("account_id", "a1");
            r.put("status", "success");
            r.put("tokens_input", 1L);
            r.put("tokens_output", 2L);
            r.put("quantity", 1L);
            r.put("cost_cents", java.nio.ByteBuffer.wrap(AvroParquet.decimalBytes(123_456)));
            r.put("charge_cents", java.nio.ByteBuffer.wrap(AvroParquet.decimalBytes(-5)));
            r.put("capped", false);
            r.put("rules_version", "v");
            out.write(r);
        }
        assertThat(read(file)).containsExactly(new RatedEvent("e1", 20_514, 1, 20_514, "bot_message", "a1", null, null, null,
                "success", 1, 2, 1, 123_456, -5, false, null, "v", null, null, null));
    }

    static Object sample(Schema type) {
        return switch (type.getType()) {
            case STRING -> "x";
            case INT -> 1;
            case LONG -> 1L;
            case BOOLEAN -> true;
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    static BigDecimal sumCents(List<RatedEvent> events, java.util.function.ToLongFunction<RatedEvent> ucents) {
        return events.stream().map(e -> BigDecimal.valueOf(ucents.applyAsLong(e), 6)).reduce(BigDecimal.valueOf(0, 6), BigDecimal::add);
    }

    static Map<String, String> types(String relation) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("describe select * from " + relation)) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return types;
    }

    static long longOf(String sql) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static BigDecimal decimalOf(String sql) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}
