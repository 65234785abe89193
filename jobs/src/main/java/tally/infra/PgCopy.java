package tally.infra;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Bulk rows into a table with PostgreSQL COPY on the connection of the current Spring transaction,
 * so they commit or roll back with it. Rows are sent while they are produced (PostgreSQL parses
 * one chunk while the caller makes the next). While a COPY is open the connection can run nothing
 * else: {@link #pause()} ends it (the next row opens another); a copier made with a batch size
 * ends it every that many rows, which leaves the connection free between batches for a streaming
 * cursor on the same transaction.
 */
public final class PgCopy implements AutoCloseable {

    /** Rows per COPY when the connection also streams a cursor. */
    public static final int DEFAULT_BATCH_ROWS = 5_000;
    private static final int CHUNK_CHARS = 1 << 16;
    private static final CSVFormat FORMAT = CSVFormat.POSTGRESQL_CSV.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).get();

    private final DataSource dataSource;
    private final String sql;
    private final long batchRows;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS * 2);
    private final CSVPrinter printer;
    private Connection connection;
    private CopyIn copy;
    private long inCopy;
    private long rows;

    /** A copier that ends its COPY every {@link #DEFAULT_BATCH_ROWS} rows. */
    public PgCopy(DataSource dataSource, String table, List<String> columns) {
        this(dataSource, table, columns, DEFAULT_BATCH_ROWS);
    }

    private PgCopy(DataSource dataSource, String table, List<String> columns, long batchRows) {
        this.dataSource = dataSource;
        this.sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin with (format csv)";
        this.batchRows = batchRows;
        try {
            this.printer = new CSVPrinter(buffer, FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copier that keeps one COPY open until {@link #pause()} or {@link #close()}. */
    public static PgCopy streaming(DataSource dataSource, String table, List<String> columns) {
        return new PgCopy(dataSource, table, columns, Long.MAX_VALUE);
    }

    public void row(Object... values) {
        try {
            printer.printRecord(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
        if (++inCopy == batchRows) {
            pause();
        } else if (batchRows == Long.MAX_VALUE && buffer.length() >= CHUNK_CHARS) {
            send(); // a batching copier holds its rows until the batch ends: no COPY is open while its cursor fetches
        }
    }

    public long rows() {
        return rows;
    }

    /** Sends what is buffered and ends the open COPY, so the connection can run other statements. */
    public void pause() {
        send();
        if (copy == null) {
            return;
        }
        try {
            copy.endCopy();
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            copy = null;
            inCopy = 0;
            DataSourceUtils.releaseConnection(connection, dataSource);
            connection = null;
        }
    }

    private void send() {
        if (buffer.isEmpty()) {
            return;
        }
        try {
            if (copy == null) {
                connection = DataSourceUtils.getConnection(dataSource);
                copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            }
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw failed(e);
        }
        buffer.setLength(0);
    }

    private IllegalStateException failed(SQLException e) {
        return new IllegalStateException("COPY failed (" + sql + "): " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pause();
    }
}
