package tally.infra;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A PostgreSQL session advisory lock named by a key, held on its own connection: one holder across
 * every process on the database. A process that dies releases it with its connection.
 */
public final class ClusterLock implements AutoCloseable {

    private final Connection connection;
    private final String key;

    private ClusterLock(Connection connection, String key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock, or empty when another session holds it. */
    public static Optional<ClusterLock> tryAcquire(DataSource dataSource, String key) {
        return take(dataSource, key, "select pg_try_advisory_lock(hashtext(?))");
    }

    /** The lock, once whoever holds it lets it go. */
    public static ClusterLock acquire(DataSource dataSource, String key) {
        return take(dataSource, key, "select true from pg_advisory_lock(hashtext(?))").orElseThrow();
    }

    /** Runs a locking query that answers true when the lock was taken. */
    private static Optional<ClusterLock> take(DataSource dataSource, String key, String sql) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new ClusterLock(connection, key));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("database error taking the lock " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, key);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("database error releasing the lock " + key + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session ends with the connection, and the lock with it
            }
        }
    }
}
