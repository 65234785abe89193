package tally.testing;

import tally.rating.RatedEvent;
import tally.rating.RatedEventReader;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Every rated event a test database keeps, read back from its rated segments (test databases are small). */
public final class RatedEvents {

    private RatedEvents() {
    }

    public static List<RatedEvent> all(Cli cli) {
        return all(cli.dbUrl());
    }

    public static List<RatedEvent> all(String dbUrl) {
        List<RatedEvent> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select data from usage_segment order by arrival_date, bucket, seq")) {
            while (rs.next()) {
                RatedEventReader.forEach(rs.getBytes(1), events::add);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rated segments cannot be read: " + e.getMessage(), e);
        }
        return events;
    }
}
