package tally.infra;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

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

    /** Attaches the day's table, building the parent's indexes on it; nothing if attached already. */
    public void attach(LocalDate day) {
        if (!isAttached(day)) {
            jdbc.execute("alter table %s attach partition %s for values from ('%s') to ('%s')"
                    .formatted(parent, table(day), day, day.plusDays(1)));
        }
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
