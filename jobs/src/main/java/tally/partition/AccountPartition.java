package tally.partition;

/**
 * One of {@code count} slices of the accounts, by a hash of the account id: all of an account's
 * events, bots, caps, carried rounding and wallet postings fall in the same slice, so slices can
 * be rated and posted independently (in threads or worker JVMs) and give the same ledger whatever
 * the count. The hash is PostgreSQL's {@code hashtext}, evaluated where the rows are.
 */
public record AccountPartition(int index, int count) {

    /** The whole of the accounts: one partition. */
    public static final AccountPartition ALL = new AccountPartition(0, 1);

    public AccountPartition {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("partition " + index + " of " + count);
        }
    }

    /** A SQL condition true for the rows whose {@code accountColumn} falls in this partition. */
    public String sql(String accountColumn) {
        return count == 1 ? "true" : "mod(abs(hashtext(" + accountColumn + ")::bigint), " + count + ") = " + index;
    }

    @Override
    public String toString() {
        return (index + 1) + "/" + count;
    }
}
