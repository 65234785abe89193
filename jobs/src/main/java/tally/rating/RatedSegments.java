package tally.rating;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

/**
 * Reading the stored rated segments ({@code usage_segment}): their keys first, then each one's
 * bytes by key, so that one segment at a time is in memory. PostgreSQL's driver holds a whole
 * result in memory outside a transaction with a fetch size: a query for all of a day's bytes at
 * once would hold the day.
 */
public final class RatedSegments {

    /** A segment's primary key. */
    public record Key(LocalDate arrivalDate, int bucket, int seq) {
    }

    private RatedSegments() {
    }

    /** The segments holding events of usage days {@code from..to}, in (arrival day, bucket, seq) order. */
    public static List<Key> overlapping(JdbcTemplate jdbc, LocalDate from, LocalDate to) {
        return keys(jdbc, """
                select arrival_date, bucket, seq from usage_segment where max_usage_date >= ? and min_usage_date <= ?
                order by arrival_date, bucket, seq""", Date.valueOf(from), Date.valueOf(to));
    }

    /** The segments of an arrival day's buckets in one of {@code partitions} account partitions, in (bucket, seq) order. */
    public static List<Key> ofPartition(JdbcTemplate jdbc, LocalDate arrivalDay, int partitions, int index) {
        // Buckets.inPartition, said in SQL, so only the partition's keys are fetched.
        return keys(jdbc, """
                select arrival_date, bucket, seq from usage_segment where arrival_date = ? and bucket % ? = ?
                order by bucket, seq""", Date.valueOf(arrivalDay), partitions, index);
    }

    /** A segment's Parquet bytes. */
    public static byte[] data(JdbcTemplate jdbc, Key key) {
        return jdbc.queryForObject("select data from usage_segment where arrival_date = ? and bucket = ? and seq = ?",
                byte[].class, Date.valueOf(key.arrivalDate()), key.bucket(), key.seq());
    }

    private static List<Key> keys(JdbcTemplate jdbc, String sql, Object... args) {
        return jdbc.query(sql, (rs, i) -> new Key(rs.getDate(1).toLocalDate(), rs.getInt(2), rs.getInt(3)), args);
    }
}
