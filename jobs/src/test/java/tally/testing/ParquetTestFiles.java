package tally.testing;

import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import tally.infra.ParquetCodecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ObjIntConsumer;
import java.util.function.UnaryOperator;

/**
 * Parquet files of any schema for reader tests, written with parquet-mr's example {@link Group}
 * writer (no Hadoop): {@code write(file, "message m { optional int64 x; }", 10, (g, i) -> g.add("x", (long) i))}.
 * A field a row does not add is null in that row.
 */
public final class ParquetTestFiles {

    private ParquetTestFiles() {
    }

    /** {@code rows} rows, uncompressed, default row group and page sizes. */
    public static Path write(Path file, String schema, int rows, ObjIntConsumer<Group> row) {
        return write(file, schema, UnaryOperator.identity(), rows, row);
    }

    /** As {@link #write(Path, String, int, ObjIntConsumer)}, with writer options (row group limit, dictionary page size...). */
    public static Path write(Path file, String schema, UnaryOperator<ExampleParquetWriter.Builder> options, int rows,
                             ObjIntConsumer<Group> row) {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ExampleParquetWriter.Builder builder = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withConf(new PlainParquetConfiguration())
                    .withType(type)
                    .withCodecFactory(ParquetCodecs.INSTANCE)
                    .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
            try (ParquetWriter<Group> writer = options.apply(builder).build()) {
                SimpleGroupFactory groups = new SimpleGroupFactory(type);
                for (int i = 0; i < rows; i++) {
                    Group group = groups.newGroup();
                    row.accept(group, i);
                    writer.write(group);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
