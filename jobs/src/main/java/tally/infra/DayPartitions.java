package tally.infra;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-partition-a-day tables {@code usage_event} and {@code staged_event}, partitioned by
 * arrival_date (migration V11). A day's usage is loaded into its own table before that table has
 * indexes and is attached once complete: PostgreSQL then builds each index in one sorted pass
 * instead of maintaining it row by row, several times faster for a day of millions of events.
 * Every method is idempotent, so a restarted step can call it again.
 */
public final class DayPartitions {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcTemplate jdbc;
    private final String parent;

    private DayPartitions(JdbcTemplate jdbc, String parent) {
        this.jdbc = jdbc;
        this.parent = parent;
    }

    public static DayPartitions usageEvents(JdbcTemplate jdbc) {
        return new DayPartitions(jdbc, "usage_event");
    }

    public static DayPartitions stagedEvents(JdbcTemplate jdbc) {
        return new DayPartitions(jdbc, "staged_event");
    }

    /** The day's table, e.g. {@code usage_event_20260302}. */
    public String table(LocalDate day) {
        return parent + "_" + day.format(SUFFIX);
    }

    /** Scratch rows: an unlogged partition, attached at once (the parent has no indexes). */
    public void createUnlogged(LocalDate day) {
        jdbc.execute("create unlogged table if not exists %s partition of %s for values from ('%s') to ('%s')"
                .formatted(table(day), parent, day, day.plusDays(1)));
    }

    /**
     * A table for the day's rows that is not yet part of the parent (so has none of its indexes),
     * unless it exists already, attached or not. Its check constraint lets {@link #attach} skip
     * scanning the rows for the partition bound.
     */
    public void createDetached(LocalDate day) {
        jdbc.execute("create table if not exists %s (like %s including defaults including constraints, check (arrival_date = '%s'))"
                .formatted(table(day), parent, day));
    }

    /**
     * Attaches the day's table; nothing if attached already. The parent's indexes are built on it
     * first, {@link #CONCURRENT_BUILDS} at a time on separate connections (ATTACH would build them
     * one after the other), the primary key is made from its index, and ATTACH adopts them all.
     */
    public void attach(LocalDate day) {
        if (isAttached(day)) {
            return;
        }
        String table = table(day);
        List<String> primaryKey = new ArrayList<>();
        List<String> builds = new ArrayList<>();
        jdbc.query("""
                select pg_get_indexdef(i.indexrelid), i.indisprimary from pg_index i where i.indrelid = ?::regclass
                order by i.indisprimary desc, i.indexrelid""", rs -> {
            IndexBuild build = onDayTable(rs.getString(1), table);
            builds.add(build.sql());
            if (rs.getBoolean(2)) {
                primaryKey.add(build.name());
            }
        }, parent);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_BUILDS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String sql : builds) {
                running.add(pool.submit(() -> jdbc.execute(sql)));
            }
            for (Future<?> build : running) {
                build.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing " + table, e);
        } finally {
            pool.shutdownNow();
        }
        for (String index : primaryKey) {
            if (!Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists (select 1 from pg_constraint where conrelid = ?::regclass and contype = 'p')", Boolean.class, table))) {
                jdbc.execute("alter table %s add primary key using index %s".formatted(table, index));
            }
        }
        jdbc.execute("alter table %s attach partition %s for values from ('%s') to ('%s')"
                .formatted(parent, table, day, day.plusDays(1)));
    }

    /** Index builds running at once while attaching a day (each may also use parallel workers). */
    static final int CONCURRENT_BUILDS = 2;

    private static final Pattern PARENT_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX (\\S+) ON ONLY (\\S+) USING (.*)$");

    /** An index of a day's table and the statement that builds it. */
    record IndexBuild(String name, String sql) {
    }

    /** A parent's index definition (pg_get_indexdef), as the same index on the day's table. */
    static IndexBuild onDayTable(String parentIndexDefinition, String dayTable) {
        Matcher m = PARENT_INDEX.matcher(parentIndexDefinition);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected index definition: " + parentIndexDefinition);
        }
        String parentTable = m.group(3).substring(m.group(3).indexOf('.') + 1);
        String parentIndex = m.group(2);
        String name = dayTable + "_" + (parentIndex.startsWith(parentTable + "_")
                ? parentIndex.substring(parentTable.length() + 1) : parentIndex);
        return new IndexBuild(name, "create %sindex if not exists %s on %s using %s"
                .formatted(m.group(1) == null ? "" : "unique ", name, dayTable, m.group(4)));
    }

    public boolean isAttached(LocalDate day) {
        Boolean attached = jdbc.queryForObject("""
                select exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                               where c.relname = ? and i.inhparent = ?::regclass)""", Boolean.class, table(day), parent);
        return Boolean.TRUE.equals(attached);
    }

    /** Removes the day's rows (and its table), attached or not. */
    public void drop(LocalDate day) {
        jdbc.execute("drop table if exists " + table(day));
    }

    /** Fresh planner statistics for the day's table (the parent's are not kept by autovacuum). */
    public void analyze(LocalDate day) {
        jdbc.execute("analyze " + table(day));
    }
}
