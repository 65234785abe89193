package tally.nightly;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.DayPartitions;
import tally.ledger.UsageDebits;
import tally.ledger.UsagePosting;
import tally.partition.AccountPartition;
import tally.rating.BucketRating;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.Buckets;
import tally.usage.CanonicalText;
import tally.usage.StagedBatch;

import javax.sql.DataSource;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rates and posts the buckets of one account partition of a staged day, then helps with the other
 * partitions' buckets nobody has claimed yet; one database transaction a bucket: its claim (an
 * advisory lock until the transaction ends), its staged rows less the ones staging dropped -> rated
 * segments, bot spend, analytics parts and plan counters -> its wallets' debits -> the bucket's
 * marker ({@code rated_bucket}). A partition skips the buckets whose marker committed and the ones
 * claimed by another, so every bucket is rated and posted exactly once, and a bucket's results do
 * not depend on which partition rated it.
 */
@Component
public class RateAndPost {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final UsagePosting posting;
    private final TransactionTemplate newTransaction;

    public RateAndPost(DataSource dataSource, JdbcTemplate jdbc, UsagePosting posting,
                       PlatformTransactionManager transactions) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.posting = posting;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * What one partition did: {@code buckets} rated and posted here, {@code helped} of them other
     * partitions' (taken once this one's own were done); {@code ownElsewhere}: its own buckets it
     * did not rate (done before a restart, or taken by a partition that was done with its own).
     */
    public record PartitionResult(int buckets, int helped, int ownElsewhere, long rated, long capped, int wallets,
                                  int txnsWritten) {
    }

    /** A bucket rated and posted here ({@code ratedHere}), or passed over: found done, or claimed by another partition. */
    private record BucketResult(boolean ratedHere, long rated, long capped, int wallets, int txnsWritten) {
        static final BucketResult PASSED_OVER = new BucketResult(false, 0, 0, 0, 0);
    }

    /**
     * Goes through the day's buckets in the partition's {@link Buckets#claimOrder}: its own, then
     * whichever of the others' no partition has claimed or rated yet.
     */
    public PartitionResult run(LocalDate day, String runId, RatingRules rules, ReferenceData reference,
                               AccountPartition partition) {
        int done = 0;
        int helped = 0;
        int ownElsewhere = 0;
        long rated = 0;
        long capped = 0;
        int wallets = 0;
        int txns = 0;
        CanonicalText canonical = new CanonicalText(reference, rules);
        for (int bucket : Buckets.claimOrder(bucketsOf(day), partition.index(), partition.count())) {
            boolean own = Buckets.inPartition(bucket, partition.index(), partition.count());
            BucketResult r = newTransaction.execute(status -> rateAndPost(day, bucket, runId, rules, reference, canonical));
            if (!r.ratedHere()) {
                if (own) {
                    ownElsewhere++;
                }
                continue;
            }
            done++;
            if (!own) {
                helped++;
            }
            rated += r.rated();
            capped += r.capped();
            wallets += r.wallets();
            txns += r.txnsWritten();
        }
        return new PartitionResult(done, helped, ownElsewhere, rated, capped, wallets, txns);
    }

    /** The day's bucket count, as staging chose it. */
    public int bucketsOf(LocalDate day) {
        Integer buckets = jdbc.queryForObject("select buckets from stage_day where arrival_date = ?", Integer.class,
                Date.valueOf(day));
        if (buckets == null) {
            throw new IllegalStateException(day + " is not staged");
        }
        return buckets;
    }

    private BucketResult rateAndPost(LocalDate day, int bucket, String runId, RatingRules rules, ReferenceData reference,
                                     CanonicalText canonical) {
        Date arrival = Date.valueOf(day);
        // The bucket's claim, held until this transaction ends: two partitions never rate a bucket
        // at once (the second would wait on the first's ledger rows, then post its carried rounding
        // again). Advisory keys of two ints: a space of their own, apart from the one-key locks of
        // wallets, partitions and the cluster.
        if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?, ?)", Boolean.class,
                (int) day.toEpochDay(), bucket))) {
            return BucketResult.PASSED_OVER;
        }
        if (Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from rated_bucket where arrival_date = ? and bucket = ?)",
                Boolean.class, arrival, bucket))) {
            return BucketResult.PASSED_OVER;
        }
        BucketRating.Result r = new BucketRating(day, rules, reference, bots -> capHistory(day, bots))
                .rate(stagedRows(day, bucket, canonical));
        int seq = 0;
        for (BucketRating.Segment segment : r.segments()) {
            jdbc.update("""
                    insert into usage_segment (arrival_date, bucket, seq, rows, min_usage_date, max_usage_date, data)
                    values (?, ?, ?, ?, ?, ?, ?)""", arrival, bucket, seq++, segment.rows(),
                    Date.valueOf(segment.minUsageDate()), Date.valueOf(segment.maxUsageDate()), segment.parquet());
        }
        r.botCharges().write(dataSource, day);
        UsagePosting.PostingResult posted = posting.postBucket(r.charges(), day, runId, rules, reference);
        for (UsageDebits.ToolCollected t : posted.toolsCollected()) {
            r.parts().addToolCollected(t.toolId(), t.usageDate(), t.collectedCents(), t.feeCents());
        }
        r.parts().write(dataSource, day, bucket);
        r.counters().write(dataSource, day);
        jdbc.update("""
                insert into rated_bucket (arrival_date, bucket, events_rated, events_capped, cost_ucents, charge_ucents,
                    bot_charge_ucents, wallets_posted, txns_written)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", arrival, bucket, r.rated(), r.capped(), r.costUcents(),
                r.chargeUcents(), r.botChargeUcents(), posted.wallets(), posted.txnsWritten());
        return new BucketResult(true, r.rated(), r.capped(), posted.wallets(), posted.txnsWritten());
    }

    /**
     * The bucket's staged rows in (input unit, row) order, without the rows staging dropped, decoded
     * as the rating asks for them (only the chunks' bytes are held: ~35 bytes a row). Both reads
     * are ranges of their table's primary key, which starts with the arrival day: without it in
     * the condition, each bucket's read was a scan of the whole day (a 100M-event day: ~0.2 s a
     * bucket, 1007 buckets). Their texts are the canonical instances ({@link CanonicalText}).
     */
    private Iterable<StagedBatch.Row> stagedRows(LocalDate day, int bucket, CanonicalText canonical) {
        Date arrival = Date.valueOf(day);
        long[] drops = jdbc.queryForList("select row_key from " + DayPartitions.stagedDrops(jdbc).table(day)
                        + " where arrival_date = ? and bucket = ? order by row_key", Long.class, arrival, bucket)
                .stream().mapToLong(Long::longValue).toArray();
        List<byte[]> chunks = jdbc.query("select data from " + DayPartitions.stagedChunks(jdbc).table(day)
                + " where arrival_date = ? and bucket = ? order by unit, seq", (rs, i) -> rs.getBytes(1), arrival, bucket);
        return () -> new KeptRows(chunks.iterator(), drops, canonical);
    }

    /** The rows of a bucket's chunks, in order, less those whose row key is in {@code drops} (sorted). */
    private static final class KeptRows implements Iterator<StagedBatch.Row> {
        private final Iterator<byte[]> chunks;
        private final long[] drops;
        private final CanonicalText canonical;
        private Iterator<StagedBatch.Row> rows = Collections.emptyIterator();
        private StagedBatch.Row next;

        KeptRows(Iterator<byte[]> chunks, long[] drops, CanonicalText canonical) {
            this.chunks = chunks;
            this.drops = drops;
            this.canonical = canonical;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (rows.hasNext()) {
                    StagedBatch.Row row = rows.next();
                    if (Arrays.binarySearch(drops, row.rowKey()) < 0) {
                        next = row;
                    }
                } else if (chunks.hasNext()) {
                    rows = StagedBatch.rows(chunks.next(), canonical);
                } else {
                    return false;
                }
            }
            return true;
        }

        @Override
        public StagedBatch.Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StagedBatch.Row row = next;
            next = null;
            return row;
        }
    }

    /** What these bots were charged before this arrival day ({@code bot_spend}, one index range each). */
    private List<BucketRating.Spend> capHistory(LocalDate day, Collection<String> bots) {
        return jdbc.query("""
                select bot_id, conversation_id, usage_date, sum(charge_ucents) from bot_spend
                where bot_id = any(?) and arrival_date < ? group by 1, 2, 3""",
                (rs, i) -> new BucketRating.Spend(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getLong(4)),
                new SqlArrayValue("text", bots.toArray()), Date.valueOf(day));
    }
}
