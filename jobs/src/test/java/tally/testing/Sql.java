package tally.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** Read-only look into a test database, for facts no command prints (e.g. which run posted what). */
public final class Sql {

    private Sql() {
    }

    /** The single number a query returns. */
    public static long number(Cli cli, String sql, Object... args) {
        Map<String, Long> rows = numbersByKey(cli, "select '', (" + sql + ")", args);
        return rows.get("");
    }

    /** A query of (key, number) rows as a sorted map. */
    public static Map<String, Long> numbersByKey(Cli cli, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(cli.dbUrl()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            Map<String, Long> rows = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
