package tally.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A direct look at a test database, for state no command prints. */
public final class TestSql {

    private TestSql() {
    }

    public static long count(Cli cli, String sql) {
        try (Connection c = DriverManager.getConnection(cli.dbUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
