package tally.infra;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Bulk rows into a table with PostgreSQL COPY on the connection of the current Spring transaction,
 * so they commit or roll back with it. Rows are sent while they are produced (PostgreSQL parses
 * one chunk while the caller makes the next). While a COPY is open the connection can run nothing
 * else: {@link #pause()} ends it (the next row opens another), and a copier ends it every
 * {@link #DEFAULT_BATCH_ROWS} rows, which leaves the connection free between batches for other
 * statements of the same transaction (a streaming cursor, another writer's inserts).
 * <p>
 * Rows are written in COPY's text format (tab-separated, {@code \N} for null, backslash escapes),
 * formatted here directly: commons-csv's general-purpose printer was ~15% of the nightly's CPU.
 * A refused COPY fails as JdbcTemplate's statements do (Spring's translation of the SQL state: a
 * unique violation is a {@code DuplicateKeyException}).
 */
public final class PgCopy implements AutoCloseable {

    /** Rows per COPY when the connection also streams a cursor. */
    public static final int DEFAULT_BATCH_ROWS = 5_000;
    private static final int CHUNK_CHARS = 1 << 16;

    private final DataSource dataSource;
    private final String sql;
    /** Rows per COPY; 0: every row in one COPY (one statement), sent as the buffer fills. */
    private final int batchRows;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS * 2);
    private Connection connection;
    private CopyIn copy;
    private long inCopy;
    private long rows;

    /** A copier that holds rows and sends them as one COPY every {@link #DEFAULT_BATCH_ROWS} rows. */
    public PgCopy(DataSource dataSource, String table, List<String> columns) {
        this(dataSource, table, columns, DEFAULT_BATCH_ROWS);
    }

    private PgCopy(DataSource dataSource, String table, List<String> columns, int batchRows) {
        this.dataSource = dataSource;
        this.sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin";
        this.batchRows = batchRows;
    }

    /**
     * A copier whose rows all go in one COPY, one statement, sent as they are produced: for a
     * table whose statement-level triggers must see rows together (a transaction's ledger legs).
     * The connection runs nothing else until {@link #close}.
     */
    public static PgCopy oneStatement(DataSource dataSource, String table, List<String> columns) {
        return new PgCopy(dataSource, table, columns, 0);
    }

    /** One row: values in column order; null, numbers, booleans, or anything whose toString PostgreSQL parses. */
    public void row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buffer.append('\t');
            }
            append(values[i]);
        }
        buffer.append('\n');
        rows++;
        if (++inCopy == batchRows) {
            pause(); // rows are held until the batch ends: no COPY stays open between batches
        } else if (batchRows == 0 && buffer.length() >= CHUNK_CHARS) {
            send(); // one statement: its COPY stays open, rows go as they come
        }
    }

    private void append(Object value) {
        if (value == null) {
            buffer.append("\\N");
        } else if (value instanceof Long n) {
            buffer.append(n.longValue());
        } else if (value instanceof Integer n) {
            buffer.append(n.intValue());
        } else if (value instanceof Boolean b) {
            buffer.append(b ? 't' : 'f');
        } else {
            appendEscaped(value.toString());
        }
    }

    /** Text-format escaping: backslash, newline, carriage return and tab are written as escapes. */
    private void appendEscaped(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> buffer.append("\\\\");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                case '\t' -> buffer.append("\\t");
                default -> buffer.append(c);
            }
        }
    }

    public long rows() {
        return rows;
    }

    /** A text[] value for {@link #row}: each element quoted (and its quotes and backslashes escaped). */
    public static String textArray(Collection<String> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (String element : elements) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            literal.append('"');
            for (int i = 0; i < element.length(); i++) {
                char c = element.charAt(i);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }

    /** A bigint[] value for {@link #row}. */
    public static String bigintArray(Collection<Long> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (Long element : elements) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            literal.append(element.longValue());
        }
        return literal.append('}').toString();
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

    private DataAccessException failed(SQLException e) {
        DataAccessException translated = new SQLErrorCodeSQLExceptionTranslator(dataSource).translate("COPY", sql, e);
        return translated != null ? translated : new UncategorizedSQLException("COPY", sql, e);
    }

    @Override
    public void close() {
        pause();
    }
}
