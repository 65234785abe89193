package tally.infra;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.infra.ParquetBatchReader.Batches;
import tally.infra.ParquetBatchReader.Column;
import tally.infra.ParquetBatchReader.Kind;
import tally.infra.ParquetBatchReader.RowGroup;
import tally.testing.ParquetTestFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ObjIntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParquetBatchReaderTest {

    @TempDir
    Path tmp;

    private Path write(String fields, int rows, ObjIntConsumer<Group> row) {
        return ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { " + fields + " }", rows, row);
    }

    /** Every value of one column over every batch of every row group, null for a null row, as {@code value(column, row)} reads it. */
    private static List<Object> values(ParquetBatchReader reader, String name, ValueOf value) throws IOException {
        List<Object> values = new ArrayList<>();
        for (RowGroup group : reader.rowGroups()) {
            try (Batches batches = reader.read(group.index(), List.of(name))) {
                while (batches.next()) {
                    Column column = batches.column(0);
                    for (int r = 0; r < batches.size(); r++) {
                        values.add(column.isNull(r) ? null : value.of(column, r));
                    }
                }
            }
        }
        return values;
    }

    interface ValueOf {
        Object of(Column column, int row);
    }

    @Test
    void nullsOfEveryKindAreFlaggedRowByRow() throws IOException {
        Path file = write("optional boolean b; optional int32 i; optional int64 l; optional binary s (STRING); required int64 r;",
                5, (g, i) -> {
                    if (i % 2 == 0) {
                        g.add("b", i == 2);
                        g.add("i", i);
                        g.add("l", 10L * i);
                        g.add("s", "s" + i);
                    }
                    g.add("r", (long) i);
                });

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThat(values(reader, "b", Column::booleanValue)).containsExactly(false, null, true, null, false);
            assertThat(values(reader, "i", Column::intValue)).containsExactly(0, null, 2, null, 4);
            assertThat(values(reader, "l", Column::longValue)).containsExactly(0L, null, 20L, null, 40L);
            assertThat(values(reader, "s", Column::text)).containsExactly("s0", null, "s2", null, "s4");
            assertThat(values(reader, "r", Column::longValue)).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aStringColumnThatFallsBackFromDictionaryToPlainPagesWithinARowGroupReadsEveryValue() throws IOException {
        int rows = 6_000;
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { optional binary s (STRING); }",
                b -> b.withDictionaryPageSize(512).withPageRowCountLimit(500).withRowGroupRowCountLimit(rows), rows,
                (g, i) -> {
                    if (i % 100 != 99) {
                        g.add("s", i < 3_000 ? "few-" + i % 7 : "distinct-" + i);
                    }
                });
        EncodingStats encodings = columnChunk(file, 0, 0).getEncodingStats();
        assertThat(encodings.hasDictionaryEncodedPages()).as("dictionary pages").isTrue();
        assertThat(encodings.hasNonDictionaryEncodedPages()).as("plain pages after the fallback").isTrue();

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            List<Object> values = values(reader, "s", Column::text);

            assertThat(values).hasSize(rows);
            for (int i = 0; i < rows; i++) {
                assertThat(values.get(i)).as("row %d", i)
                        .isEqualTo(i % 100 == 99 ? null : i < 3_000 ? "few-" + i % 7 : "distinct-" + i);
            }
            assertThat(values.get(7)).as("one String per dictionary entry").isSameAs(values.get(0));
            assertThat(values.get(1_407)).isSameAs(values.get(0));
        }
    }

    @Test
    void dictionaryEntriesPassThroughTheReadersDictionaryTextOnceEachAndRowsShowWhatItReturns() throws IOException {
        int rows = 6_000;
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { optional binary s (STRING); }",
                b -> b.withDictionaryPageSize(512).withPageRowCountLimit(500).withRowGroupRowCountLimit(rows), rows,
                (g, i) -> g.add("s", i < 3_000 ? "few-" + i % 7 : "distinct-" + i));
        String canonicalFew3 = new String("few-3");
        List<String> passed = new ArrayList<>();

        try (ParquetBatchReader reader = ParquetBatchReader.open(file, text -> {
            passed.add(text);
            return text.equals("few-3") ? canonicalFew3 : text;
        })) {
            List<Object> values = values(reader, "s", Column::text);

            assertThat(values.get(3)).isSameAs(canonicalFew3);
            assertThat(values.get(2_999)).isSameAs(canonicalFew3);
            assertThat(values.get(4)).isEqualTo("few-4").isNotSameAs(canonicalFew3);
            assertThat(passed).as("the dictionary's entries, once each; plain pages' values are not passed")
                    .containsExactlyInAnyOrder("few-0", "few-1", "few-2", "few-3", "few-4", "few-5", "few-6");
            assertThat(values.get(4_000)).isEqualTo("distinct-4000");
        }
    }

    @Test
    void rowGroupsAreListedWithTheirFirstRowAndReadInBatchesNumberedOverTheFile() throws IOException {
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { required int64 n; }",
                b -> b.withRowGroupRowCountLimit(10_000), 25_000, (g, i) -> g.add("n", (long) i));

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThat(reader.rowGroups()).containsExactly(
                    new RowGroup(0, 0, 10_000), new RowGroup(1, 10_000, 10_000), new RowGroup(2, 20_000, 5_000));
            List<Long> batchStarts = new ArrayList<>();
            List<Integer> batchSizes = new ArrayList<>();
            try (Batches batches = reader.read(1, List.of("n"))) {
                while (batches.next()) {
                    batchStarts.add(batches.firstRow());
                    batchSizes.add(batches.size());
                    for (int r = 0; r < batches.size(); r++) {
                        assertThat(batches.column(0).longValue(r)).isEqualTo(batches.firstRow() + r);
                    }
                }
                assertThat(batches.next()).as("still at the end").isFalse();
            }
            assertThat(batchStarts).containsExactly(10_000L, 10_000L + ParquetBatchReader.BATCH_ROWS);
            assertThat(batchSizes).containsExactly(ParquetBatchReader.BATCH_ROWS, 10_000 - ParquetBatchReader.BATCH_ROWS);
            assertThat(values(reader, "n", Column::longValue)).hasSize(25_000).last().isEqualTo(24_999L);
        }
    }

    @Test
    void rangesOfARowGroupReadTheirRowsAlignedAcrossColumnsWhosePagesEndApart() throws IOException {
        int rows = 10_000;
        // 1 KiB pages, their size checked after every value: 128 longs a page, dictionary ids and
        // texts in pages that end elsewhere.
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"),
                "message t { required int64 n; optional binary few (STRING); optional binary text (STRING); }",
                b -> b.withPageSize(1024).withMinRowCountForPageSizeCheck(1).withMaxRowCountForPageSizeCheck(1)
                        .withRowGroupRowCountLimit(rows), rows, (g, i) -> {
                    g.add("n", (long) i);
                    if (i % 3 != 0) {
                        g.add("few", "few-" + i % 5);
                    }
                    g.add("text", "text-" + i);
                });
        List<String> columns = List.of("text", "n", "absent", "few");
        assertThat(List.of(pages(file, 0), pages(file, 1), pages(file, 2))).as("pages of n, few, text")
                .allMatch(pages -> pages > 3).doesNotHaveDuplicates();

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThat(reader.rowGroups()).hasSize(1);
            assertThat(reader.canReadRanges(0, columns)).isTrue();
            List<Long> firstRows = new ArrayList<>();
            List<Long> seen = new ArrayList<>();
            for (long[] range : new long[][] {{0, 3_001}, {3_001, 0}, {3_001, 3_999}, {7_000, 3_000}}) {
                try (Batches batches = reader.read(0, range[0], range[1], columns)) {
                    while (batches.next()) {
                        firstRows.add(batches.firstRow());
                        for (int r = 0; r < batches.size(); r++) {
                            long n = batches.column(1).longValue(r);
                            assertThat(n).as("row %d of the batch from %d", r, batches.firstRow()).isEqualTo(batches.firstRow() + r);
                            assertThat(batches.column(0).text(r)).isEqualTo("text-" + n);
                            assertThat(batches.column(2).isNull(r)).isTrue();
                            assertThat(batches.column(3).isNull(r) ? null : batches.column(3).text(r))
                                    .isEqualTo(n % 3 == 0 ? null : "few-" + n % 5);
                            seen.add(n);
                        }
                    }
                }
            }
            assertThat(seen).hasSize(rows).isSorted().doesNotHaveDuplicates();
            assertThat(firstRows).as("one batch a range, none for the empty one").containsExactly(0L, 3_001L, 7_000L);
        }
    }

    @Test
    void aRangeOutsideItsRowGroupIsRefused() throws IOException {
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { required int64 n; }", 10,
                (g, i) -> g.add("n", (long) i));
        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThatThrownBy(() -> reader.read(0, 8, 3, List.of("n"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rows 8 to 11 are not in row group 0 of 10 rows");
        }
    }

    @Test
    void aFileInMemoryReadsAsTheSameFileOnDisk() throws IOException {
        Path file = ParquetTestFiles.write(tmp.resolve("t.parquet"), "message t { optional binary s (STRING); required int32 n; }",
                b -> b.withRowGroupRowCountLimit(1_000), 2_500, (g, i) -> {
                    g.add("s", "s" + i % 13);
                    g.add("n", -i);
                });

        try (ParquetBatchReader disk = ParquetBatchReader.open(file);
             ParquetBatchReader memory = ParquetBatchReader.open(Files.readAllBytes(file))) {
            assertThat(memory.rowGroups()).hasSize(3).isEqualTo(disk.rowGroups());
            assertThat(memory.schema()).isEqualTo(disk.schema());
            assertThat(values(memory, "s", Column::text)).hasSize(2_500).isEqualTo(values(disk, "s", Column::text));
            assertThat(values(memory, "n", Column::intValue)).hasSize(2_500).isEqualTo(values(disk, "n", Column::intValue));
        }
    }

    @Test
    void aColumnTheFileDoesNotHaveIsNullInEveryRow() throws IOException {
        Path file = write("required int64 n;", 3, (g, i) -> g.add("n", (long) i));

        try (ParquetBatchReader reader = ParquetBatchReader.open(file); Batches batches = reader.read(0, List.of("missing", "n"))) {
            assertThat(reader.column("missing")).isNull();
            assertThat(batches.next()).isTrue();
            Column missing = batches.column(0);
            assertThat(missing.kind()).isEqualTo(Kind.ABSENT);
            assertThat(missing.type()).isNull();
            assertThat(List.of(missing.isNull(0), missing.isNull(1), missing.isNull(2))).containsOnly(true);
            assertThat(batches.column(1).longValue(2)).isEqualTo(2L);
        }
    }

    @Test
    void int32ValuesAreIntsAlsoReadWidenedAndInt64ValuesLongs() throws IOException {
        Path file = write("required int32 i; required int64 l;", 4, (g, i) -> {
            g.add("i", i % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE);
            g.add("l", i % 2 == 0 ? Long.MIN_VALUE : 1L << 40);
        });
        assertThat(columnChunk(file, 0, 0).getEncodingStats().hasDictionaryEncodedPages()).as("int32 dictionary-encoded").isTrue();

        try (ParquetBatchReader reader = ParquetBatchReader.open(file); Batches batches = reader.read(0, List.of("i", "l"))) {
            batches.next();
            Column ints = batches.column(0);
            Column longs = batches.column(1);
            assertThat(ints.kind()).isEqualTo(Kind.INT);
            assertThat(longs.kind()).isEqualTo(Kind.LONG);
            assertThat(ints.intValue(0)).isEqualTo(Integer.MIN_VALUE);
            assertThat(ints.longValue(0)).isEqualTo(Integer.MIN_VALUE);
            assertThat(ints.longValue(1)).isEqualTo(Integer.MAX_VALUE);
            assertThat(longs.longValue(0)).isEqualTo(Long.MIN_VALUE);
            assertThat(longs.longValue(1)).isEqualTo(1L << 40);
        }
    }

    @Test
    void otherTypesReadAsTheirValuesText() throws IOException {
        UUID uuid = UUID.fromString("0190c6a4-7b1e-7d3a-9f00-1234567890ab");
        byte[] uuidBytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
        Path file = write("""
                required binary raw; required fixed_len_byte_array(16) id (UUID); required binary amount (DECIMAL(9,2));
                required fixed_len_byte_array(2) small (DECIMAL(4,1)); required float f; required double d;""", 2, (g, i) -> {
            g.add("raw", Binary.fromString("héllo " + i));
            g.add("id", Binary.fromConstantByteArray(uuidBytes));
            g.add("amount", Binary.fromConstantByteArray(new byte[]{(byte) 0xff, (byte) 0x85})); // -123
            g.add("small", Binary.fromConstantByteArray(new byte[]{0x01, 0x00})); // 256
            g.add("f", 0.1f);
            g.add("d", i == 0 ? 1e20 : Double.NaN);
        });

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThat(values(reader, "raw", Column::text)).containsExactly("héllo 0", "héllo 1");
            assertThat(values(reader, "id", Column::text)).containsExactly(uuid.toString(), uuid.toString());
            assertThat(values(reader, "amount", Column::text)).containsExactly("-1.23", "-1.23");
            assertThat(values(reader, "small", Column::text)).containsExactly("25.6", "25.6");
            assertThat(values(reader, "f", Column::text)).containsExactly("0.1", "0.1");
            assertThat(values(reader, "d", Column::text)).containsExactly("1.0E20", "NaN");
        }
    }

    @Test
    void groupsRepeatedFieldsInt96AndAColumnAskedForTwiceAreRefused() throws IOException {
        Path file = write("optional group g { optional int32 x; } repeated binary tags (STRING); optional int96 legacy; optional int32 ok;",
                1, (g, i) -> g.add("ok", 1));

        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            assertThatThrownBy(() -> reader.column("g")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column g is a group, not a single value");
            assertThatThrownBy(() -> reader.read(0, List.of("ok", "tags"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column tags is repeated, not a single value");
            assertThatThrownBy(() -> reader.column("legacy")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column legacy has type INT96");
            assertThat(values(reader, "ok", Column::intValue)).containsExactly(1);
            assertThatThrownBy(() -> reader.read(0, List.of("ok", "ok"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("asked for twice");
        }
    }

    private static ColumnChunkMetaData columnChunk(Path file, int rowGroup, int column) throws IOException {
        try (ParquetFileReader parquet = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return parquet.getRowGroups().get(rowGroup).getColumns().get(column);
        }
    }

    private static int pages(Path file, int column) throws IOException {
        try (ParquetFileReader parquet = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            return parquet.readOffsetIndex(parquet.getRowGroups().get(0).getColumns().get(column)).getPageCount();
        }
    }
}
