package tally.infra;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * Reads whose results are too large to hold (a row per event, debit or reject): PostgreSQL's driver
 * keeps a whole result in memory unless, inside a transaction, a fetch size makes it read through a
 * cursor. Callers run these templates' queries in a transaction (their own or their caller's).
 */
public final class CursorReads {

    /** Rows fetched at a time: memory stays flat for any result. */
    public static final int FETCH_ROWS = 10_000;

    private CursorReads() {
    }

    /** A template whose queries fetch {@link #FETCH_ROWS} rows at a time. */
    public static JdbcTemplate template(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setFetchSize(FETCH_ROWS);
        return jdbc;
    }
}
