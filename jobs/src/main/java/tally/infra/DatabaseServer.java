package tally.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the database is: a PostgreSQL server named by a JDBC URL ({@code --db} or
 * {@code TALLY_DB_URL}), or else an embedded PostgreSQL 17 whose data lives under
 * {@code <home>/pg} and survives between commands.
 *
 * <p>Embedded mode holds {@code <home>/pg.lock} while it runs, so a second command on the same home
 * fails clearly instead of sharing the server. A postmaster left behind by a killed command (its
 * {@code postmaster.pid} names a live process while nobody holds the lock) is stopped first.
 */
public final class DatabaseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseServer.class);

    private final String jdbcUrl;
    private final String user;
    private final EmbeddedPostgres embedded;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DatabaseServer(String jdbcUrl, String user, EmbeddedPostgres embedded, FileChannel lockChannel, FileLock lock) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.embedded = embedded;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static DatabaseServer external(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new BadInputException("--db must be a jdbc:postgresql:// URL, got '" + redact(jdbcUrl) + "'");
        }
        return new DatabaseServer(jdbcUrl, null, null, null, null);
    }

    /**
     * WAL kept between checkpoints by the embedded server (default 8GB). Lower it where disk is
     * short: a day's usage is written to WAL once, so a 100M-event day passes ~30 GB through it.
     */
    public static final String MAX_WAL_SIZE_PROPERTY = "tally.embedded.max-wal-size";
    /**
     * Server libraries the embedded server preloads (shared_preload_libraries; default none): for
     * profiling, e.g. {@code pg_stat_statements} (bench/run --pg-statements).
     */
    public static final String PRELOAD_LIBRARIES_PROPERTY = "tally.embedded.preload-libraries";

    public static DatabaseServer embedded(Path home) {
        try {
            Files.createDirectories(home);
            Path dataDir = home.resolve("pg");
            FileChannel channel = FileChannel.open(home.resolve("pg.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another tally command is using the embedded database in " + home
                        + "; wait for it, or give each a PostgreSQL server with --db");
            }
            stopOrphanedPostmaster(dataDir);
            EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Text compares byte by byte (code point order, what CodePointOrder sorts by), not through
                    // the machine's locale: the same order on every machine, and memcmp instead of strcoll in
                    // every index and sort of ids (applies to a new data directory only: initdb).
                    .setLocaleConfig("lc-collate", "C")
                    .setServerConfig("fsync", "on")
                    // A night's events arrive in a few large COPYs: room for them between checkpoints,
                    // and sorts/hashes of a day in memory where they fit (a server given by --db keeps its own).
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("max_wal_size", System.getProperty(MAX_WAL_SIZE_PROPERTY, "8GB"))
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("work_mem", "64MB")
                    .setServerConfig("maintenance_work_mem", "1GB")
                    // A night's COPYs fill the default 16 MB of WAL buffers ~23,000 times (pg_stat_wal).
                    .setServerConfig("wal_buffers", "64MB");
            String preload = System.getProperty(PRELOAD_LIBRARIES_PROPERTY);
            if (preload != null) {
                server.setServerConfig("shared_preload_libraries", preload);
            }
            EmbeddedPostgres pg = server.start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            return new DatabaseServer(url, "postgres", pg, channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL in " + home + " could not start: " + e.getMessage(), e);
        }
    }

    /** A postmaster from a killed command still runs on this data directory: stop it before starting ours. */
    private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid);
        if (orphan.isPresent() && orphan.get().isAlive()) {
            log.warn("Stopping PostgreSQL (pid {}) left running on {} by a command that did not exit cleanly", pid, dataDir);
            orphan.get().destroy(); // SIGTERM: smart shutdown
            try {
                orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.get().destroyForcibly();
            }
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The URL without a password, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
        if (lock != null) {
            lock.release();
            lockChannel.close();
        }
    }
}
