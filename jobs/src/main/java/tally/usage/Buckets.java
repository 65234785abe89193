package tally.usage;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;

/**
 * How one arrival day's accounts are split into buckets: the unit rating and posting take at a
 * time, in one database transaction each. An account's bucket is a hash of its id, so everything
 * that depends on order (bot caps, carried rounding, a wallet's debits and balance) stays inside
 * one bucket, and the results are the same for any bucket or partition count. The count follows
 * the day's size, so that a bucket's rows, wallets and aggregates fit in memory whatever the day.
 */
public record Buckets(int count) {

    /**
     * Rows a bucket is sized for: its rows' aggregates and sorted capped-bot events are held in
     * memory (system property {@code tally.stage.rows-per-bucket}).
     */
    public static final long ROWS_PER_BUCKET = Long.getLong("tally.stage.rows-per-bucket", 100_000);
    /**
     * Wallets a bucket is sized for: a bucket's debits are one database transaction (system property
     * {@code tally.stage.accounts-per-bucket}; the test suite sets 2, so its small days still spread
     * over several buckets and partitions).
     */
    public static final long ACCOUNTS_PER_BUCKET = Long.getLong("tally.stage.accounts-per-bucket", 100);
    public static final int MAX_BUCKETS = 1 << 16;

    public Buckets {
        if (count < 1 || count > MAX_BUCKETS) {
            throw new IllegalArgumentException(count + " buckets");
        }
    }

    /** Enough buckets for a day of {@code rows} input rows over {@code accounts} accounts, as configured. */
    public static Buckets forDay(long rows, long accounts) {
        return forDay(rows, accounts, ROWS_PER_BUCKET, ACCOUNTS_PER_BUCKET);
    }

    static Buckets forDay(long rows, long accounts, long rowsPerBucket, long accountsPerBucket) {
        long byRows = (rows + rowsPerBucket - 1) / rowsPerBucket;
        long byAccounts = (accounts + accountsPerBucket - 1) / accountsPerBucket;
        return new Buckets((int) Math.max(1, Math.min(MAX_BUCKETS, Math.max(byRows, byAccounts))));
    }

    public int of(String accountId) {
        byte[] bytes = accountId.getBytes(StandardCharsets.UTF_8);
        return Math.floorMod(MurmurHash3.hash32x86(bytes, 0, bytes.length, 0), count);
    }

    /** Whether bucket {@code bucket} belongs to account partition {@code index} of {@code partitions}. */
    public static boolean inPartition(int bucket, int index, int partitions) {
        return bucket % partitions == index;
    }

    /**
     * The order in which account partition {@code index} of {@code partitions} goes through a day's
     * {@code buckets}: its own buckets in ascending order, then every other bucket in descending
     * order. A partition done with its own helps with the buckets the others reach last, so
     * partitions end together however unequal their buckets (a bucket is rated once: whoever claims
     * it first, {@code RateAndPost}).
     */
    public static int[] claimOrder(int buckets, int index, int partitions) {
        int[] order = new int[buckets];
        int next = 0;
        for (int bucket = 0; bucket < buckets; bucket++) {
            if (inPartition(bucket, index, partitions)) {
                order[next++] = bucket;
            }
        }
        for (int bucket = buckets - 1; bucket >= 0; bucket--) {
            if (!inPartition(bucket, index, partitions)) {
                order[next++] = bucket;
            }
        }
        return order;
    }
}
