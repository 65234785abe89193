package tally.partition;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * How a manager knows a worker is alive: while a worker executes a partition it holds a PostgreSQL
 * session advisory lock keyed by the partition's step execution id, on a connection of its own. A
 * worker JVM that dies loses its connection, and PostgreSQL releases the lock with the session; so a
 * partition recorded STARTED whose lock nobody holds has no worker any more.
 *
 * <p>Keys are {@code BASE + step execution id}: above every {@code hashtext()} value (an int4) that
 * {@link tally.infra.ClusterLock} uses, so the two kinds of advisory lock never meet.
 */
final class PartitionLocks {

    static final long BASE = 1L << 40;

    private PartitionLocks() {
    }

    static long key(long stepExecutionId) {
        return BASE + stepExecutionId;
    }

    /**
     * Takes the partition's lock on {@code connection}'s session, waiting while another session (a
     * watchdog's probe) has it. The session asks the server for TCP keepalives, so that a worker
     * machine that vanishes without closing its connection (power loss, network cut) releases the lock
     * within about a minute rather than the operating system's default of hours (no effect over a
     * Unix socket).
     */
    static void lock(Connection connection, long stepExecutionId) throws SQLException {
        try (Statement keepalive = connection.createStatement()) {
            keepalive.execute("set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3");
        }
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_lock(?)")) {
            ps.setLong(1, key(stepExecutionId));
            ps.execute();
        }
    }

    static void unlock(Connection connection, long stepExecutionId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, key(stepExecutionId));
            ps.execute();
        }
    }

    /**
     * Takes the partition's lock until the end of the current transaction if nobody holds it (then no
     * worker is executing the partition, and none can start it before the transaction ends).
     */
    static boolean tryLockForTransaction(JdbcTemplate jdbc, long stepExecutionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, key(stepExecutionId)));
    }

    /** The step execution ids whose partition lock some session of this database holds right now. */
    static Set<Long> held(JdbcTemplate jdbc) {
        // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
        return new HashSet<>(jdbc.queryForList("""
                select ((classid::bigint << 32) | objid::bigint) - ?
                from pg_locks
                where locktype = 'advisory' and objsubid = 1 and granted
                  and database = (select oid from pg_database where datname = current_database())
                  and ((classid::bigint << 32) | objid::bigint) >= ?""", Long.class, BASE, BASE));
    }
}
