package tally.infra;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Bulk rows into a table with PostgreSQL COPY on the connection of the current Spring transaction,
 * so they commit or roll back with it. Rows are buffered and sent as one complete COPY per batch,
 * which leaves the connection free between batches for a streaming cursor on the same transaction.
 */
public final class PgCopy implements AutoCloseable {

    public static final int DEFAULT_BATCH_ROWS = 5_000;
    private static final CSVFormat FORMAT = CSVFormat.POSTGRESQL_CSV.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).get();

    private final DataSource dataSource;
    private final String sql;
    private final int batchRows;
    private final StringBuilder buffer = new StringBuilder(1 << 20);
    private CSVPrinter printer;
    private int buffered;
    private long rows;

    public PgCopy(DataSource dataSource, String table, List<String> columns) {
        this.dataSource = dataSource;
        this.sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin with (format csv)";
        this.batchRows = DEFAULT_BATCH_ROWS;
        this.printer = newPrinter();
    }

    private CSVPrinter newPrinter() {
        try {
            return new CSVPrinter(buffer, FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void row(Object... values) {
        try {
            printer.printRecord(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
        if (++buffered == batchRows) {
            flush();
        }
    }

    public long rows() {
        return rows;
    }

    private void flush() {
        if (buffered == 0) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(buffer.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY failed (" + sql + "): " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        buffer.setLength(0);
        buffered = 0;
    }

    @Override
    public void close() {
        flush();
    }
}
