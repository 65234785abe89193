package tally.rating;

import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.junit.jupiter.api.Test;
import tally.infra.AvroParquet;
import tally.infra.ByteArrayInputFile;
import tally.rules.RulesLoader;
import tally.testing.SyntheticRatedEvents;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatedSegmentWriterTest {

    /** Every optional field set, money at its largest, odd strings. */
    static final RatedEvent FULL = RatedEvent.of("evt-ü✓-1", LocalDate.of(2026, 3, 2),
            Instant.parse("2026-03-01T23:59:59.999999Z"), LocalDate.of(2026, 3, 1), "bot_message", "acct_ümlaut",
            "acct_payer", "bot_support", "wallet", "success", Long.MAX_VALUE, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE, true,
            "debit:acct_payer:bot_support:2026-03-01:2026-03-02", "bf5a54105b64", "conv-1", "anthropic", "claude-sonnet-4-6");
    /** Every optional field null, money zero. */
    static final RatedEvent BARE = new RatedEvent("evt-2", 0, 0, 0, "api_request", "a1", null, null, null, "failed", 0, 0,
            20, 0, 0, false, null, "v", null, null, null);
    /** Money of one micro-cent, empty (not null) optional strings. */
    static final RatedEvent SMALL = new RatedEvent("evt-3", 20_514, 1_772_409_600_000_001L, 20_514, "tool_call", "a2", "",
            "t1", "", "success", 1, 1, 1, 1, 1, false, "", "v", "", "", "");

    static RatedEvent[] synthetic(int rows, long seed) {
        return SyntheticRatedEvents.generate(rows, rows, RulesLoader.load(Path.of("../rating-rules")), seed);
    }

    static List<RatedEvent> read(byte[] segment) {
        List<RatedEvent> events = new ArrayList<>();
        RatedEventReader.forEach(segment, events::add);
        return events;
    }

    static ParquetMetadata footer(InputFile file) throws IOException {
        try (ParquetFileReader reader = new ParquetFileReader(file, AvroParquet.readOptions())) {
            return reader.getFooter();
        }
    }

    @Test
    void everyFieldRoundTripsIncludingNullsAndExtremeMoney() {
        RatedSegmentWriter writer = new RatedSegmentWriter();
        writer.add(FULL);
        writer.add(BARE);
        writer.add(SMALL);
        assertThat(writer.rows()).isEqualTo(3);
        List<RatedEvent> back = read(writer.finish());
        assertThat(back).containsExactly(FULL, BARE, SMALL);
        assertThat(back.get(0).costCents()).isEqualByComparingTo("9223372036854.775807");
        assertThat(back.get(0).occurredAt()).isEqualTo(Instant.parse("2026-03-01T23:59:59.999999Z"));
        assertThat(back.get(2).chargeCents()).isEqualByComparingTo("0.000001");
        assertThat(back.get(1).payerAccountId()).isNull();
        assertThat(back.get(2).payerAccountId()).isEmpty();
    }

    @Test
    void realisticRowsRoundTripInOrderAcrossPages() {
        RatedEvent[] events = synthetic(45_000, 1); // more rows than a page holds (20k)
        RatedSegmentWriter writer = new RatedSegmentWriter();
        Arrays.stream(events).forEach(writer::add);
        assertThat(read(writer.finish())).containsExactly(events);
    }

    @Test
    void theWriterStartsTheNextSegmentAfterFinish() {
        RatedSegmentWriter writer = new RatedSegmentWriter();
        writer.add(FULL);
        writer.add(BARE);
        byte[] first = writer.finish();
        assertThat(writer.rows()).isZero();
        writer.add(SMALL);
        byte[] second = writer.finish();
        byte[] empty = writer.finish();
        assertThat(read(first)).containsExactly(FULL, BARE);
        assertThat(read(second)).containsExactly(SMALL);
        assertThat(read(empty)).isEmpty();
    }

    @Test
    void theSchemaIsWhatParquetAvroDerivesAndTheFooterCarriesTheAvroSchema() throws IOException {
        Schema avsc = AvroParquet.schema("rated_event");
        RatedSegmentWriter writer = new RatedSegmentWriter();
        Arrays.stream(synthetic(1000, 2)).forEach(writer::add);
        ParquetMetadata footer = footer(new ByteArrayInputFile(writer.finish()));
        assertThat(footer.getFileMetaData().getSchema()).isEqualTo(new AvroSchemaConverter().convert(avsc));
        assertThat(footer.getFileMetaData().getSchema().getColumns()).hasSize(21);
        Map<String, String> keyValues = footer.getFileMetaData().getKeyValueMetaData();
        assertThat(new Schema.Parser().parse(keyValues.get("parquet.avro.schema"))).isEqualTo(avsc);
        assertThat(footer.getBlocks()).hasSize(1);
        assertThat(footer.getBlocks().get(0).getRowCount()).isEqualTo(1000);
    }

    @Test
    void snappyStatisticsAndDictionariesOnlyWhereTheyPay() throws IOException {
        RatedSegmentWriter writer = new RatedSegmentWriter();
        RatedEvent[] events = synthetic(30_000, 3);
        Arrays.stream(events).forEach(writer::add);
        BlockMetaData block = footer(new ByteArrayInputFile(writer.finish())).getBlocks().get(0);
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            String column = chunk.getPath().toDotString();
            assertThat(chunk.getCodec()).as(column).isEqualTo(CompressionCodecName.SNAPPY);
            assertThat(chunk.getStatistics().isEmpty()).as(column + " has no statistics")
                    .isEqualTo(RatedSegmentWriter.NO_STATISTICS_COLUMNS.contains(column));
            boolean dictionary = chunk.getEncodingStats().hasDictionaryPages();
            if (RatedSegmentWriter.PLAIN_COLUMNS.contains(column)) {
                assertThat(dictionary).as(column + " dictionary").isFalse();
            }
            if (Set.of("kind", "status", "billing_mode", "rules_version", "provider", "model", "resource_id").contains(column)) {
                assertThat(dictionary).as(column + " dictionary").isTrue(); // a handful of values, or sorted
            }
        }
        assertThat(RatedSegmentWriter.PLAIN_COLUMNS).contains("event_id", "posting_id", "cost_cents");
        assertThat(RatedSegmentWriter.NO_STATISTICS_COLUMNS).doesNotContain("usage_date", "resource_id", "kind");
        ColumnChunkMetaData usageDate = block.getColumns().get(3);
        assertThat(usageDate.getPath().toDotString()).isEqualTo("usage_date");
        assertThat(usageDate.getStatistics().genericGetMin())
                .isEqualTo(Arrays.stream(events).mapToInt(RatedEvent::usageEpochDay).min().orElseThrow());
        assertThat(usageDate.getStatistics().genericGetMax())
                .isEqualTo(Arrays.stream(events).mapToInt(RatedEvent::usageEpochDay).max().orElseThrow());
        ColumnChunkMetaData kind = block.getColumns().get(4);
        assertThat(kind.getEncodings()).contains(Encoding.PLAIN_DICTIONARY);
        assertThat(Set.of(kind.getStatistics().minAsString(), kind.getStatistics().maxAsString()))
                .containsExactlyInAnyOrder("agent_run", "tool_call");
    }

    @Test
    void aDictionarySurvivesAFirstPageOfNulls() throws IOException {
        List<RatedEvent> events = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) { // 25k without a model first: more than a page (20k rows)
            events.add(new RatedEvent("e" + i, 1, i, 1, "k", "a", null, null, null, "s", 0, 0, 0, 0, 0, false, null, "v",
                    null, null, i < 25_000 ? null : "model-" + i % 3));
        }
        assertThat(modelHasDictionary(RatedSegmentWriter.PROPERTIES, events)).isTrue();
        assertThat(modelHasDictionary(RatedSegmentWriter.plain(ParquetProperties.builder(), RatedSegmentWriter.PLAIN_COLUMNS)
                .build(), events)).as("Parquet's own values writers drop it").isFalse();
    }

    static boolean modelHasDictionary(ParquetProperties properties, List<RatedEvent> events) throws IOException {
        RatedSegmentWriter writer = new RatedSegmentWriter(properties);
        events.forEach(writer::add);
        byte[] segment = writer.finish();
        assertThat(read(segment)).isEqualTo(events);
        ColumnChunkMetaData model = footer(new ByteArrayInputFile(segment)).getBlocks().get(0).getColumns().get(20);
        assertThat(model.getPath().toDotString()).isEqualTo("model");
        return model.getEncodingStats().hasDictionaryPages();
    }

    @Test
    void aRequiredFieldCannotBeNull() {
        assertThatThrownBy(() -> new RatedEvent(null, 0, 0, 0, "k", "a", null, null, null, "s", 0, 0, 0, 0, 0, false, null,
                "v", null, null, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("eventId");
        assertThatThrownBy(() -> new RatedEvent("e", 0, 0, 0, "k", "a", null, null, null, "s", 0, 0, 0, 0, 0, false, null,
                null, null, null, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("rulesVersion");
    }
}
