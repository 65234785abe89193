package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import tally.infra.CodePointOrder;
import tally.infra.PgCopy;
import tally.infra.SqlDates;
import tally.money.CarriedRounding;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carried rounding's kept state per (wallet, resource, month) ({@code usage_carry}, V15): the
 * exact charges posted so far and the cents posted for them. Read and written inside the posting
 * transaction, under the wallet's lock, so a key's row always agrees with the ledger. The cost of
 * a night's posting follows the night's keys, not the month's usage so far.
 */
@Component
public class UsageCarries {

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    public UsageCarries(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** One key's state after a run, and what the run added to it. */
    public record Change(String payerAccountId, UsageDebits.CarryKey key, long exactUcents, long postedCents,
                         long addedExactUcents, long addedPostedCents) {
        public static Change of(String payerAccountId, UsageDebits.CarryKey key, CarriedRounding before,
                                CarriedRounding after) {
            return new Change(payerAccountId, key, after.exactUcents(), after.postedCents(),
                    after.exactUcents() - before.exactUcents(), after.postedCents() - before.postedCents());
        }
    }

    /**
     * Each payer's carried-rounding state of these keys before run {@code runId}: the kept state,
     * less what the run itself already added if an earlier attempt of it committed this wallet.
     * Keys never posted to are absent.
     */
    public Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> before(
            Map<String, ? extends Collection<UsageDebits.CarryKey>> keysByPayer, String runId) {
        List<String> payers = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        List<LocalDate> months = new ArrayList<>();
        keysByPayer.forEach((payer, keys) -> keys.forEach(key -> {
            payers.add(payer);
            resources.add(key.resourceId());
            months.add(key.month().atDay(1));
        }));
        Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carries = new HashMap<>();
        jdbc.query("""
                select c.payer_account_id, c.resource_id, c.usage_month,
                       c.exact_ucents - case when c.last_run_id = ? then c.last_exact_ucents else 0 end,
                       c.posted_cents - case when c.last_run_id = ? then c.last_posted_cents else 0 end
                from unnest(?::text[], ?::text[], ?::date[]) as k(payer_account_id, resource_id, usage_month)
                join usage_carry c using (payer_account_id, usage_month, resource_id)""", rs -> {
            carries.computeIfAbsent(rs.getString(1), p -> new HashMap<>())
                    .put(new UsageDebits.CarryKey(rs.getString(2), YearMonth.from(rs.getObject(3, LocalDate.class))),
                            new CarriedRounding(rs.getLong(4), rs.getLong(5)));
        }, runId, runId, new SqlArrayValue("text", payers.toArray()), new SqlArrayValue("text", resources.toArray()),
                SqlDates.array(months));
        return carries;
    }

    /**
     * Keeps the state after a nightly run's postings, recording what the run added to each key:
     * {@code newKeys} had no row ({@link #before} found none), {@code keptKeys} had one. Both are
     * read and written under the wallets' locks, so a plain insert and a plain update each say what
     * is there; a key whose row came or went in between fails the bucket (a unique violation, or an
     * update that found fewer rows) instead of being merged. The upsert form costs a further
     * primary-key probe per row (805k new keys a 10M-event night: 4.6-4.8 s against 2.9 s). New keys
     * go in by COPY, in key order (each insert then lands next to the one before in the primary key).
     */
    public void keepNightly(List<Change> newKeys, List<Change> keptKeys, String runId) {
        if (!newKeys.isEmpty()) {
            List<Change> inKeyOrder = new ArrayList<>(newKeys);
            inKeyOrder.sort(KEY_ORDER);
            try (PgCopy copy = PgCopy.oneStatement(dataSource, "usage_carry", List.of("payer_account_id", "usage_month",
                    "resource_id", "exact_ucents", "posted_cents", "last_run_id", "last_exact_ucents", "last_posted_cents"))) {
                for (Change c : inKeyOrder) {
                    copy.row(c.payerAccountId(), c.key().month().atDay(1), c.key().resourceId(), c.exactUcents(),
                            c.postedCents(), runId, c.addedExactUcents(), c.addedPostedCents());
                }
            }
        }
        if (!keptKeys.isEmpty()) {
            int updated = jdbc.update("""
                    update usage_carry c set exact_ucents = k.exact_ucents, posted_cents = k.posted_cents, last_run_id = ?,
                        last_exact_ucents = k.added_exact, last_posted_cents = k.added_posted
                    from %s
                    where c.payer_account_id = k.payer_account_id and c.usage_month = k.usage_month
                      and c.resource_id = k.resource_id""".formatted(KEYS), withKeys(runId, keptKeys));
            if (updated != keptKeys.size()) {
                throw new IllegalStateException(runId + ": " + (keptKeys.size() - updated)
                        + " carried-rounding rows read under the wallets' locks are gone");
            }
        }
    }

    /** Keeps the state after a rerun's corrections (the last nightly's own contribution is left as it was). */
    public void keepCorrected(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        jdbc.update("""
                insert into usage_carry (payer_account_id, usage_month, resource_id, exact_ucents, posted_cents)
                select k.payer_account_id, k.usage_month, k.resource_id, k.exact_ucents, k.posted_cents
                from %s order by 1, 2, 3
                on conflict (payer_account_id, usage_month, resource_id) do update
                set exact_ucents = excluded.exact_ucents, posted_cents = excluded.posted_cents""".formatted(KEYS),
                withKeys(null, changes));
    }

    /** usage_carry's primary key order (payer, month, resource) under collation C: it saves index work, nothing depends on it. */
    private static final Comparator<Change> KEY_ORDER = Comparator.comparing(Change::payerAccountId, CodePointOrder.ORDER)
            .thenComparing(c -> c.key().month()).thenComparing(c -> c.key().resourceId(), CodePointOrder.ORDER);

    /** The changes as a FROM item {@code k}, from the array parameters of {@link #withKeys}. */
    private static final String KEYS = """
            unnest(?::text[], ?::date[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                as k(payer_account_id, usage_month, resource_id, exact_ucents, posted_cents, added_exact, added_posted)""";

    /** The parameters of a statement over {@link #KEYS}: {@code first} (when not null), then the changes' columns. */
    private static Object[] withKeys(String first, List<Change> changes) {
        int n = changes.size();
        Object[] payers = new Object[n];
        List<LocalDate> months = new ArrayList<>(n);
        Object[] resources = new Object[n];
        Object[] exact = new Object[n];
        Object[] posted = new Object[n];
        Object[] addedExact = new Object[n];
        Object[] addedPosted = new Object[n];
        for (int i = 0; i < n; i++) {
            Change c = changes.get(i);
            payers[i] = c.payerAccountId();
            months.add(c.key().month().atDay(1));
            resources[i] = c.key().resourceId();
            exact[i] = c.exactUcents();
            posted[i] = c.postedCents();
            addedExact[i] = c.addedExactUcents();
            addedPosted[i] = c.addedPostedCents();
        }
        List<Object> parameters = new ArrayList<>();
        if (first != null) {
            parameters.add(first);
        }
        parameters.addAll(List.of(new SqlArrayValue("text", payers), SqlDates.array(months), new SqlArrayValue("text", resources),
                new SqlArrayValue("bigint", exact), new SqlArrayValue("bigint", posted),
                new SqlArrayValue("bigint", addedExact), new SqlArrayValue("bigint", addedPosted)));
        return parameters.toArray();
    }
}
