package tally.export;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.parquet.hadoop.ParquetWriter;
import tally.infra.AvroParquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where exported rows of logical values ({@link ExportValues#fromDatabase}) go: a Parquet or a CSV file. */
interface RowSink extends AutoCloseable {

    void write(Object[] row) throws IOException;

    @Override
    void close() throws IOException;

    static RowSink open(ExportFormat format, Schema schema, Path file) throws IOException {
        return switch (format) {
            case parquet -> new Parquet(schema, AvroParquet.writer(file, schema));
            case csv -> Csv.open(schema, file);
        };
    }

    /** Parquet with the dataset's Avro schema: typed columns, money as decimals. */
    record Parquet(Schema schema, ParquetWriter<GenericRecord> writer) implements RowSink {
        @Override
        public void write(Object[] row) throws IOException {
            GenericRecord record = new GenericData.Record(schema);
            List<Schema.Field> fields = schema.getFields();
            for (int i = 0; i < row.length; i++) {
                record.put(i, ExportValues.toAvro(fields.get(i).schema(), row[i]));
            }
            writer.write(record);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /** CSV with a header row of the schema's field names. */
    record Csv(CSVPrinter printer) implements RowSink {
        static Csv open(Schema schema, Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String[] header = schema.getFields().stream().map(Schema.Field::name).toArray(String[]::new);
            return new Csv(new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').get()));
        }

        @Override
        public void write(Object[] row) throws IOException {
            List<String> cells = new ArrayList<>(row.length);
            for (Object value : row) {
                cells.add(ExportValues.toCsv(value));
            }
            printer.printRecord(cells);
        }

        @Override
        public void close() throws IOException {
            printer.close(true);
        }
    }

    static UncheckedIOException failure(Path file, IOException e) {
        return new UncheckedIOException("export file " + file + " cannot be written: " + e.getMessage(), e);
    }
}
