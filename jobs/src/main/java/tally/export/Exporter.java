package tally.export;


import org.apache.avro.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.CursorReads;
import tally.infra.DayRange;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tally export}: streams each dataset of a kind from PostgreSQL into a Parquet or CSV file,
 * in one read-only transaction so every file of one export sees the same data.
 */
@Component
public class Exporter {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    public Exporter(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = CursorReads.template(dataSource);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public record ExportedFile(String dataset, Path path, long rows) {
    }

    /**
     * Writes the kind's datasets for the range. One dataset goes to {@code out} itself; several (analytics)
     * go into the directory {@code out}, one file per dataset named after it.
     */
    public List<ExportedFile> export(ExportKind kind, DayRange range, ExportFormat format, Path out) {
        List<ExportDataset> datasets = kind.datasets();
        return readOnly.execute(status -> {
            List<ExportedFile> files = new ArrayList<>();
            for (ExportDataset dataset : datasets) {
                Path file = datasets.size() == 1 ? out : out.resolve(dataset.name() + format.extension());
                files.add(new ExportedFile(dataset.name(), file, write(dataset, range, format, file)));
            }
            return files;
        });
    }

    private long write(ExportDataset dataset, DayRange range, ExportFormat format, Path file) {
        List<Schema.Field> fields = dataset.schema().getFields();
        long[] rows = new long[1];
        try (RowSink sink = RowSink.open(format, dataset.schema(), file)) {
            dataset.rows().forEach(jdbc, range, values -> {
                Object[] row = new Object[fields.size()];
                for (int i = 0; i < row.length; i++) {
                    Schema.Field field = fields.get(i);
                    row[i] = ExportValues.fromDatabase(field.schema(), values.apply(field.name()));
                }
                try {
                    sink.write(row);
                } catch (IOException e) {
                    throw RowSink.failure(file, e);
                }
                rows[0]++;
            });
        } catch (IOException e) {
            throw RowSink.failure(file, e);
        }
        return rows[0];
    }
}
