package tally.infra;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Instant;

/** Avro schemas of {@code schemas/} (on the classpath) and Parquet files written with them, without Hadoop. */
public final class AvroParquet {

    private AvroParquet() {
    }

    /** A schema of {@code schemas/}, e.g. {@code schema("rated_event")}. */
    public static Schema schema(String name) {
        String resource = "/schemas/" + name + ".avsc";
        try (InputStream in = AvroParquet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Columns with (nearly) one value per row: a dictionary cannot shrink them, and building one
     * until Parquet gives up on it was 15% of the JVM's CPU in a 10M-event nightly (JFR).
     */
    public static final List<String> NEARLY_UNIQUE_COLUMNS = List.of("event_id", "posting_id");

    /** A new Parquet file (replacing any file there) of generic records with that schema. */
    public static ParquetWriter<GenericRecord> writer(Path file, Schema schema) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.deleteIfExists(file);
            AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withConf(new PlainParquetConfiguration())
                    .withSchema(schema)
                    .withDataModel(GenericData.get())
                    .withCodecFactory(ParquetCodecs.INSTANCE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
            for (String unique : NEARLY_UNIQUE_COLUMNS) {
                if (schema.getField(unique) != null) {
                    builder.withDictionaryEncoding(unique, false);
                }
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("Parquet file " + file + " cannot be written", e);
        }
    }

    /** A Parquet file of generic records being written, one record at a time; I/O errors are unchecked. */
    public static final class RecordFile implements AutoCloseable {
        private final ParquetWriter<GenericRecord> writer;

        private RecordFile(ParquetWriter<GenericRecord> writer) {
            this.writer = writer;
        }

        public void write(GenericRecord record) {
            try {
                writer.write(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Options for reading Parquet files without Hadoop (Tally's codecs, no Hadoop configuration). */
    public static ParquetReadOptions readOptions() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(ParquetCodecs.INSTANCE).build();
    }

    /** A new {@link RecordFile} (replacing any file there) with that schema. */
    public static RecordFile create(Path file, Schema schema) {
        return new RecordFile(writer(file, schema));
    }

    /**
     * The unscaled value of a decimal as Avro's {@code DecimalConversion} writes it (and Parquet's
     * DECIMAL over binary holds it): minimal big-endian two's complement, as
     * {@code BigInteger.toByteArray()}: 0 is {0x00}, 128 is {0x00, 0x80}, -1 is {0xff}.
     */
    public static byte[] decimalBytes(long unscaled) {
        int length = 8;
        // One byte fewer still holds the value while the 9 top bits of what is left are all sign bits.
        while (length > 1 && (unscaled >> (8 * length - 9)) == (unscaled >> 63)) {
            length--;
        }
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            bytes[i] = (byte) unscaled;
            unscaled >>= 8;
        }
        return bytes;
    }

    /**
     * The unscaled value of a decimal stored as big-endian two's complement bytes (the buffer's
     * remaining bytes; its position is left as it was), exactly; one that does not fit a long is
     * refused.
     */
    public static long decimalUnscaled(ByteBuffer bytes) {
        int length = bytes.remaining();
        int at = bytes.position();
        if (length == 0) {
            throw new IllegalArgumentException("a decimal of zero bytes");
        }
        if (length > 8) {
            byte[] copy = new byte[length];
            bytes.duplicate().get(copy);
            return new BigInteger(copy).longValueExact();
        }
        long value = bytes.get(at); // sign-extended
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (bytes.get(at + i) & 0xffL);
        }
        return value;
    }

    /** An instant as epoch micro-seconds, the unit of Tally's timestamp columns. */
    public static long epochMicros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000L);
    }
}
