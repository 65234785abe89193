package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import tally.infra.SqlDates;
import tally.money.CarriedRounding;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
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

    public UsageCarries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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

    /** Keeps the state after a nightly run's postings, recording what the run added to each key. */
    public void keepNightly(List<Change> changes, String runId) {
        write(changes, runId);
    }

    /** Keeps the state after a rerun's corrections (the last nightly's own contribution is left as it was). */
    public void keepCorrected(List<Change> changes) {
        write(changes, null);
    }

    private void write(List<Change> changes, String nightlyRunId) {
        if (changes.isEmpty()) {
            return;
        }
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
        String keepLastRun = nightlyRunId == null ? "" : """
                , last_run_id = excluded.last_run_id, last_exact_ucents = excluded.last_exact_ucents,
                last_posted_cents = excluded.last_posted_cents""";
        jdbc.update("""
                insert into usage_carry (payer_account_id, usage_month, resource_id, exact_ucents, posted_cents,
                                         last_run_id, last_exact_ucents, last_posted_cents)
                select k.payer_account_id, k.usage_month, k.resource_id, k.exact_ucents, k.posted_cents, ?::text,
                       case when ?::text is not null then k.added_exact end,
                       case when ?::text is not null then k.added_posted end
                from unnest(?::text[], ?::date[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                    as k(payer_account_id, usage_month, resource_id, exact_ucents, posted_cents, added_exact, added_posted)
                order by 1, 2, 3
                on conflict (payer_account_id, usage_month, resource_id) do update
                set exact_ucents = excluded.exact_ucents, posted_cents = excluded.posted_cents%s""".formatted(keepLastRun),
                nightlyRunId, nightlyRunId, nightlyRunId,
                new SqlArrayValue("text", payers), SqlDates.array(months), new SqlArrayValue("text", resources),
                new SqlArrayValue("bigint", exact), new SqlArrayValue("bigint", posted),
                new SqlArrayValue("bigint", addedExact), new SqlArrayValue("bigint", addedPosted));
    }
}
