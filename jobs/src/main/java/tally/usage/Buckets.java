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

    /** Rows a bucket is sized for: its rows' aggregates and sorted capped-bot events are held in memory. */
    public static final long ROWS_PER_BUCKET = 100_000;
    /** Wallets a bucket is sized for: a bucket's debits are one database transaction. */
    public static final long ACCOUNTS_PER_BUCKET = 100;
    public static final int MAX_BUCKETS = 1 << 16;

    public Buckets {
        if (count < 1 || count > MAX_BUCKETS) {
            throw new IllegalArgumentException(count + " buckets");
        }
    }

    /** Enough buckets for a day of {@code rows} input rows over {@code accounts} accounts. */
    public static Buckets forDay(long rows, long accounts) {
        long byRows = (rows + ROWS_PER_BUCKET - 1) / ROWS_PER_BUCKET;
        long byAccounts = (accounts + ACCOUNTS_PER_BUCKET - 1) / ACCOUNTS_PER_BUCKET;
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
}
