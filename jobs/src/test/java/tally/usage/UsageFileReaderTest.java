package tally.usage;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tally.infra.AvroParquet;
import tally.infra.BadInputException;
import tally.sample.UsageParquetWriter;
import tally.testing.ParquetTestFiles;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.ObjIntConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** CONTRACT.md, Raw usage logs, as {@link UsageFileReader} hands rows to {@link RowValidator}. */
class UsageFileReaderTest {

    static final String NAME = "date=2026-03-02/x.parquet";
    static final Instant AT = Instant.parse("2026-03-02T10:15:30.123456Z");
    static final long AT_MICROS = AvroParquet.epochMicros(AT);
    /** The two columns every test file starts with. */
    static final String ID_AND_TIME = "required binary event_id (STRING); required int64 occurred_at (TIMESTAMP(MICROS,true));";

    @TempDir
    Path tmp;

    static List<RawRow> readAll(Path file) throws IOException {
        List<RawRow> rows = new ArrayList<>();
        try (UsageFileReader reader = new UsageFileReader(file, NAME)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    private Path write(String columns, int rows, ObjIntConsumer<Group> row) {
        return ParquetTestFiles.write(tmp.resolve("x.parquet"), "message usage { " + columns + " }", rows, row);
    }

    /** The first two columns of {@link #ID_AND_TIME}, then {@code more}. */
    private static ObjIntConsumer<Group> idAndTime(ObjIntConsumer<Group> more) {
        return (g, i) -> {
            g.add("event_id", "evt-" + i);
            g.add("occurred_at", AT_MICROS);
            more.accept(g, i);
        };
    }

    @Test
    void everyColumnOfATallyWrittenFileIsReadBackWithItsNulls() throws IOException {
        Path file = tmp.resolve("tally.parquet");
        List<UsageParquetWriter.Row> written = List.of(
                new UsageParquetWriter.Row("evt-1", AT, "bot_message", "acct_a", "proj_a", "bot_a", "conv-1", "user-1",
                        "telegram", "openai", "gpt-4o", "wallet", 1_234L, 567L, 3, 900L, "success", null),
                new UsageParquetWriter.Row("evt-2", AT.plusSeconds(1), "api_request", "acct_b", null, null, null, null,
                        null, null, null, null, null, null, null, null, "error", 1L));
        try (UsageParquetWriter writer = new UsageParquetWriter(file)) {
            written.forEach(writer::write);
        }

        assertThat(readAll(file)).containsExactly(
                new RawRow(NAME, 1, "evt-1", AT_MICROS, "bot_message", "acct_a", "proj_a", "bot_a", "conv-1", "user-1",
                        "telegram", "openai", "gpt-4o", "wallet", 1_234L, 567L, 3L, 900L, "success", null, null),
                new RawRow(NAME, 2, "evt-2", AT_MICROS + 1_000_000, "api_request", "acct_b", null, null, null, null,
                        null, null, null, null, null, null, null, null, "error", 1L, null));
    }

    @Test
    void columnsAreMatchedByNameInAnyOrderWithInt32IntegersUnknownColumnsIgnoredAndAbsentOnesNull() throws IOException {
        Path file = write("""
                optional binary status (STRING); optional binary region (STRING);
                optional group extra { optional int32 x; }
                optional int32 tokens_input; required int64 occurred_at (TIMESTAMP(MICROS,true));
                optional int32 quantity; required binary event_id (STRING); optional binary kind (STRING);""", 2, (g, i) -> {
            g.add("status", "success");
            g.add("region", "eu-west");
            g.addGroup("extra").add("x", 7);
            if (i == 0) {
                g.add("tokens_input", -2_000_000_000);
            }
            g.add("occurred_at", AT_MICROS);
            g.add("quantity", 3);
            g.add("event_id", "evt-" + i);
            g.add("kind", "tool_call");
        });

        assertThat(readAll(file)).containsExactly(
                new RawRow(NAME, 1, "evt-0", AT_MICROS, "tool_call", null, null, null, null, null, null, null, null,
                        null, -2_000_000_000L, null, null, null, "success", 3L, null),
                new RawRow(NAME, 2, "evt-1", AT_MICROS, "tool_call", null, null, null, null, null, null, null, null,
                        null, null, null, null, null, "success", 3L, null));
    }

    @ParameterizedTest(name = "{0} isAdjustedToUTC={1}")
    @CsvSource({"MILLIS, true, 1772446530123, 1772446530123000", "MILLIS, false, 1772446530123, 1772446530123000",
            "MICROS, true, 1772446530123456, 1772446530123456", "MICROS, false, 1772446530123456, 1772446530123456",
            "NANOS, true, 1772446530123456789, 1772446530123456", "NANOS, false, 1772446530123456789, 1772446530123456",
            "NANOS, true, -1500, -2"})
    void timestampsOfEachUnitWithOrWithoutZoneAreEpochMicros(String unit, boolean utc, long raw, long micros) throws IOException {
        Path file = write("required binary event_id (STRING); optional int64 occurred_at (TIMESTAMP(%s,%s));"
                .formatted(unit, utc), 2, (g, i) -> {
            g.add("event_id", "evt-" + i);
            if (i == 0) {
                g.add("occurred_at", raw);
            }
        });

        assertThat(readAll(file)).extracting(RawRow::occurredAtMicros).containsExactly(micros, null);
    }

    @Test
    void aTimestampTooLargeForMicrosIsABadValueOfThatRowOnly() throws IOException {
        Path file = write("required binary event_id (STRING); required int64 occurred_at (TIMESTAMP(MILLIS,true));", 2,
                (g, i) -> {
                    g.add("event_id", "evt-" + i);
                    g.add("occurred_at", i == 0 ? Long.MAX_VALUE / 10 : 1_500L);
                });

        List<RawRow> rows = readAll(file);

        assertThat(rows.get(0)).isEqualTo(RawRow.unconvertible(NAME, 1, "evt-0", "long overflow"));
        assertThat(rows.get(1).occurredAtMicros()).isEqualTo(1_500_000L);
        assertThat(rows.get(1).badValue()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"int64 %s", "int32 %s (DATE)", "binary %s (STRING)"})
    void anOccurredAtColumnThatIsNotATimestampRefusesTheFileNamingIt(String type) {
        Path file = write("required binary event_id (STRING); optional " + type.formatted("occurred_at") + ";", 1,
                (g, i) -> g.add("event_id", "evt"));

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("occurred_at")
                .hasMessageContaining("not a timestamp");
    }

    @Test
    void anInt96OccurredAtRefusesTheFileNamingTheType() {
        Path file = write("required binary event_id (STRING); required int96 occurred_at;", 1, (g, i) -> {
            g.add("event_id", "evt");
            g.add("occurred_at", new NanoTime(2_461_102, 0));
        });

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("INT96");
    }

    static Stream<Arguments> nonIntegerValues() {
        return Stream.of(
                arguments("binary %s (STRING)", (Adder) g -> g.add("tokens_input", "12"), "12"),
                arguments("double %s", (Adder) g -> g.add("tokens_input", 12.0), "12.0"),
                arguments("float %s", (Adder) g -> g.add("tokens_input", 12.5f), "12.5"),
                arguments("boolean %s", (Adder) g -> g.add("tokens_input", true), "true"),
                arguments("int64 %s (DECIMAL(10,2))", (Adder) g -> g.add("tokens_input", 1_234L), "12.34"),
                arguments("int32 %s (DECIMAL(5,0))", (Adder) g -> g.add("tokens_input", 1_234), "1234"));
    }

    interface Adder {
        void add(Group g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonIntegerValues")
    void aNonIntegerValueInAnIntegerColumnIsABadValueOfItsRowAndANullThereIsFine(String type, Adder value, String text)
            throws IOException {
        Path file = write(ID_AND_TIME + " optional " + type.formatted("tokens_input") + ";", 2, idAndTime((g, i) -> {
            if (i == 0) {
                value.add(g);
            }
        }));

        List<RawRow> rows = readAll(file);

        assertThat(rows.get(0)).isEqualTo(RawRow.unconvertible(NAME, 1, "evt-0",
                "tokens_input has a non-integer value '" + text + "'"));
        assertThat(rows.get(1)).isEqualTo(new RawRow(NAME, 2, "evt-1", AT_MICROS, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null));
    }

    static Stream<Arguments> nonStringValues() {
        UUID uuid = UUID.fromString("0190c6a4-7b1e-7d3a-9f00-1234567890ab");
        ByteBuffer uuidBytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Stream.of(
                arguments("int64 %s", (Adder) g -> g.add("kind", 42L), "42"),
                arguments("int32 %s", (Adder) g -> g.add("kind", -42), "-42"),
                arguments("boolean %s", (Adder) g -> g.add("kind", false), "false"),
                arguments("double %s", (Adder) g -> g.add("kind", 0.1), "0.1"),
                arguments("int64 %s (DECIMAL(10,2))", (Adder) g -> g.add("kind", 1_234L), "12.34"),
                arguments("binary %s", (Adder) g -> g.add("kind", "tool_call"), "tool_call"),
                arguments("binary %s (ENUM)", (Adder) g -> g.add("kind", "tool_call"), "tool_call"),
                arguments("binary %s (STRING)", (Adder) g -> g.add("kind", Binary.fromConstantByteArray(new byte[]{(byte) 0xff, 'a'})), "\ufffda"),
                arguments("fixed_len_byte_array(16) %s (UUID)", (Adder) g -> g.add("kind", Binary.fromConstantByteArray(uuidBytes.array())), uuid.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonStringValues")
    void aTextColumnOfAnotherTypeReadsAsTheValuesText(String type, Adder value, String text) throws IOException {
        Path file = write(ID_AND_TIME + " optional " + type.formatted("kind") + ";", 1, idAndTime((g, i) -> value.add(g)));

        assertThat(readAll(file)).extracting(RawRow::kind, RawRow::badValue).containsExactly(tuple(text, null));
    }

    @Test
    void anIntegerEventIdReadsAsItsDecimalText() throws IOException {
        Path file = write("required int64 event_id; required int64 occurred_at (TIMESTAMP(MICROS,true));", 1, (g, i) -> {
            g.add("event_id", 9_007_199_254_740_993L);
            g.add("occurred_at", AT_MICROS);
        });

        assertThat(readAll(file)).extracting(RawRow::eventId).containsExactly("9007199254740993");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"garbage", "truncated"})
    void anUnreadableFileIsBadInputNamingIt(String damage) throws IOException {
        Path file = write(ID_AND_TIME, 100, idAndTime((g, i) -> {
        }));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, damage.equals("garbage") ? "not a parquet file\n".repeat(100).getBytes()
                : Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("cannot be read");
    }

    @Test
    void aDamagedLaterRowGroupIsBadInputNamingTheFileAndTheRowsReadBeforeIt() throws IOException {
        Path file = ParquetTestFiles.write(tmp.resolve("x.parquet"), "message usage { " + ID_AND_TIME + " }",
                b -> b.withRowGroupRowCountLimit(300), 900, idAndTime((g, i) -> {
                }));
        long secondGroupData;
        try (ParquetFileReader parquet = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            List<BlockMetaData> groups = parquet.getRowGroups();
            assertThat(groups).extracting(BlockMetaData::getRowCount).containsExactly(300L, 300L, 300L);
            secondGroupData = groups.get(1).getColumns().get(0).getStartingPos();
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(secondGroupData);
            raw.write(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        }

        List<RawRow> rows = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (UsageFileReader reader = new UsageFileReader(file, NAME)) {
                reader.forEachRemaining(rows::add);
            }
        }).isInstanceOf(BadInputException.class).hasMessageContaining(file.toString()).hasMessageContaining("after row 300");
        assertThat(rows).hasSize(300).last().extracting(RawRow::sourceRow).isEqualTo(300L);

        List<InputUnit> units = UsageFileReader.units(file, NAME);
        long lastGroupRows = 0;
        for (InputUnit unit : units.stream().filter(u -> u.rowGroup() == 2).toList()) {
            lastGroupRows += readAll(unit).size();
        }
        assertThat(lastGroupRows).isEqualTo(300);
        InputUnit damaged = units.stream().filter(u -> u.rowGroup() == 1).findFirst().orElseThrow();
        assertThatThrownBy(() -> readAll(damaged)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("after row 300");
    }

    static List<RawRow> readAll(InputUnit unit) throws IOException {
        List<RawRow> rows = new ArrayList<>();
        try (UsageFileReader reader = new UsageFileReader(unit)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void aParquetFileIsItsRowGroupsCutIntoNearEqualUnitsThatReadAsTheWholeFileWithFileRowNumbers() throws IOException {
        long perUnit = ParquetUsageRows.ROWS_PER_UNIT;
        int groupRows = (int) (2 * perUnit + perUnit / 2);
        int fileRows = 2 * groupRows + groupRows / 5;
        Path file = ParquetTestFiles.write(tmp.resolve("x.parquet"), "message usage { " + ID_AND_TIME + " optional int64 quantity; }",
                b -> b.withRowGroupRowCountLimit(groupRows).withPageRowCountLimit(100), fileRows,
                idAndTime((g, i) -> g.add("quantity", (long) i)));

        List<InputUnit> units = UsageFileReader.units(file, NAME);

        // 2.5 units' rows: three near-equal units; a fifth of it: one
        long third = groupRows / 3;
        assertThat(units).containsExactly(
                new InputUnit(file, NAME, 0, 0, third), new InputUnit(file, NAME, 0, third, 2L * groupRows / 3 - third),
                new InputUnit(file, NAME, 0, 2L * groupRows / 3, groupRows - 2L * groupRows / 3),
                new InputUnit(file, NAME, 1, groupRows, third), new InputUnit(file, NAME, 1, groupRows + third, 2L * groupRows / 3 - third),
                new InputUnit(file, NAME, 1, groupRows + 2L * groupRows / 3, groupRows - 2L * groupRows / 3),
                new InputUnit(file, NAME, 2, 2L * groupRows, groupRows / 5));
        List<RawRow> byUnit = new ArrayList<>();
        List<InputUnit> shuffled = new ArrayList<>(units);
        java.util.Collections.reverse(shuffled);
        for (InputUnit unit : shuffled) {
            List<RawRow> rows = readAll(unit);
            assertThat(rows).hasSize((int) unit.rows());
            assertThat(rows.get(0).sourceRow()).isEqualTo(unit.firstRow() + 1);
            byUnit.addAll(rows);
        }
        byUnit.sort(Comparator.comparingLong(RawRow::sourceRow));
        List<RawRow> whole = readAll(file);
        assertThat(byUnit).isEqualTo(whole);
        assertThat(whole).hasSize(fileRows).allSatisfy(r -> {
            assertThat(r.eventId()).isEqualTo("evt-" + (r.sourceRow() - 1));
            assertThat(r.quantity()).isEqualTo(r.sourceRow() - 1);
        });
    }

    @Test
    void aUnitOfAFileThatChangedSinceItWasListedIsBadInput() throws IOException {
        Path file = write(ID_AND_TIME, 10, idAndTime((g, i) -> {
        }));
        InputUnit unit = UsageFileReader.units(file, NAME).get(0);
        write(ID_AND_TIME, 11, idAndTime((g, i) -> {
        }));

        assertThatThrownBy(() -> readAll(unit)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("has changed");
    }

    @Test
    void unknownColumnsAreIgnoredWhateverTheirType() throws IOException {
        Path file = write(ID_AND_TIME + """
                optional int96 ingested; repeated binary tags (STRING);
                optional group attributes (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }""",
                1, idAndTime((g, i) -> {
                    g.add("ingested", new NanoTime(2_461_102, 0));
                    g.add("tags", "a");
                    g.add("tags", "b");
                    g.addGroup("attributes").addGroup("key_value").append("key", "k").append("value", 1);
                }));

        assertThat(readAll(file)).containsExactly(new RawRow(NAME, 1, "evt-0", AT_MICROS, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"optional group kind { optional binary x (STRING); }|is a group",
            "repeated binary kind (STRING);|is repeated"})
    void aColumnTallyReadsThatIsNotASingleValueRefusesTheFileNamingIt(String field, String problem) {
        Path file = write(ID_AND_TIME + field, 1, idAndTime((g, i) -> {
        }));

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("column kind " + problem);
    }

    @Test
    void aBinaryDecimalInAnIntegerColumnIsABadValueShowingTheNumber() throws IOException {
        Path file = write(ID_AND_TIME + " optional fixed_len_byte_array(16) quantity (DECIMAL(38,0));", 1,
                idAndTime((g, i) -> {
                    byte[] twelve = new byte[16];
                    twelve[15] = 12;
                    g.add("quantity", Binary.fromConstantByteArray(twelve));
                }));

        assertThat(readAll(file)).containsExactly(RawRow.unconvertible(NAME, 1, "evt-0", "quantity has a non-integer value '12'"));
    }

    @Test
    void anAvroContainerFileIsReadByColumnName() throws IOException {
        Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        Schema schema = SchemaBuilder.record("Usage").fields().requiredString("kind").name("occurred_at").type(millis).noDefault()
                .requiredString("event_id").optionalInt("tokens_input").optionalString("region").endRecord();
        Path file = tmp.resolve("x.avro");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, file.toFile());
            for (int i = 0; i < 2; i++) {
                GenericRecord r = new GenericData.Record(schema);
                r.put("kind", "bot_message");
                r.put("occurred_at", AT.toEpochMilli() + i);
                r.put("event_id", "evt-" + i);
                r.put("tokens_input", i == 0 ? 12 : null);
                r.put("region", "eu");
                writer.append(r);
            }
        }

        assertThat(UsageFileReader.units(file, NAME)).containsExactly(new InputUnit(file, NAME, 0, 0, 2));
        assertThat(readAll(UsageFileReader.units(file, NAME).get(0))).isEqualTo(readAll(file));
        assertThat(readAll(file)).containsExactly(
                new RawRow(NAME, 1, "evt-0", AT.toEpochMilli() * 1000, "bot_message", null, null, null, null, null, null,
                        null, null, null, 12L, null, null, null, null, null, null),
                new RawRow(NAME, 2, "evt-1", (AT.toEpochMilli() + 1) * 1000, "bot_message", null, null, null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null));
    }
}
