package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.money.Money;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's invariants (RULES.md), checked in SQL independently of the code that posts:
 * every transaction's legs sum to zero; every wallet's balance (sum of its entries) equals the sum
 * of its wallet transactions as their owner sees them; no wallet is negative; every creator's
 * developer balance equals its earnings less payouts; every payout's ledger money agrees with its
 * outbox state (pending and paid: all out; failed: all back; never more back than went out). Plus a
 * canonical content hash.
 */
@Component
public class LedgerChecks {

    private final JdbcTemplate jdbc;

    public LedgerChecks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Each invariant over the whole ledger by name, with up to 5 offending ids (empty when it
     * holds); also that every kept wallet balance ({@code ledger_balance}) equals its entries.
     */
    public Map<String, List<String>> violations() {
        Map<String, List<String>> result = violations(Scope.WHOLE_LEDGER, """
                select ledger_account from ledger_entry where ledger_account like 'wallet:%'
                group by 1 having sum(amount_cents) < 0 order by 1 limit 5""");
        result.put("kept_wallet_balances_equal_entries", jdbc.queryForList("""
                with by_entry as (
                    select ledger_account, sum(amount_cents) as cents from ledger_entry
                    where ledger_account like 'wallet:%' group by 1)
                select coalesce(k.ledger_account, e.ledger_account) from ledger_balance k full join by_entry e using (ledger_account)
                where coalesce(k.balance_cents, 0) <> coalesce(e.cents, 0) order by 1 limit 5""", String.class));
        return result;
    }

    /**
     * Carried rounding over all usage postings, independently of the nightly's own control: every
     * kept (wallet, resource, month) state ({@code usage_carry}) equals the exact charges of its
     * usage groups as they now stand (a nightly debit's, or a rerun's re-rated value:
     * {@code usage_group_rerated}) and the cents of the debits, corrections and refunds posted for
     * it, and those cents are the rounded exact charges; and every night's debits carry exactly the
     * charges its buckets rated ({@code rated_bucket}). Reads every usage posting: for
     * {@code ledger verify}, not for every job.
     */
    public Map<String, List<String>> carriedRoundingViolations() {
        List<String> offending = new ArrayList<>();
        jdbc.query("""
                with nightly as (
                    select account_id as payer_account_id, resource_id, effective_date as usage_date, run_date as arrival_date,
                           exact_ucents
                    from ledger_txn where type = 'debit' and run_id = 'nightly:' || run_date),
                exact as (
                    select payer_account_id as account_id, date_trunc('month', usage_date)::date as usage_month, resource_id,
                           sum(coalesce(r.exact_ucents, n.exact_ucents)) as ucents
                    from nightly n full join usage_group_rerated r using (payer_account_id, resource_id, usage_date, arrival_date)
                    group by 1, 2, 3),
                posted as (
                    select account_id, usage_month, resource_id, sum(charge_cents) as cents
                    from ledger_txn where type in ('debit', 'refund') and resource_id is not null group by 1, 2, 3)
                select coalesce(k.account_id, c.payer_account_id), coalesce(k.usage_month, c.usage_month),
                       coalesce(k.resource_id, c.resource_id), k.ucents, k.cents, c.exact_ucents, c.posted_cents
                from (select * from exact full join posted using (account_id, usage_month, resource_id)) k
                full join usage_carry c on c.payer_account_id = k.account_id and c.usage_month = k.usage_month
                                       and c.resource_id = k.resource_id
                order by 1, 2, 3""", rs -> {
            long exactUcents = rs.getLong(4);
            long postedCents = rs.getLong(5);
            boolean holds = exactUcents == rs.getLong(6) && postedCents == rs.getLong(7)
                    && postedCents == Money.roundToCents(exactUcents);
            if (!holds && offending.size() < 5) {
                offending.add(rs.getString(1) + "/" + rs.getString(3) + "/" + rs.getDate(2));
            }
        });
        Map<String, List<String>> result = new LinkedHashMap<>();
        result.put("usage_carry_equals_usage_and_postings", offending);
        result.put("nightly_debits_equal_rated_charges", jdbc.queryForList("""
                with rated as (select arrival_date, sum(charge_ucents) as ucents from rated_bucket group by 1),
                debited as (
                    select run_date as arrival_date, sum(exact_ucents) as ucents from ledger_txn
                    where type = 'debit' and run_id = 'nightly:' || run_date group by 1)
                select coalesce(r.arrival_date, d.arrival_date)::text from rated r full join debited d using (arrival_date)
                where coalesce(r.ucents, 0) <> coalesce(d.ucents, 0) order by 1 limit 5""", String.class));
        return result;
    }

    /**
     * The same invariants over one run's transactions, and no negative kept wallet balance: what a
     * nightly run checks. Its cost follows the run, not the ledger's history (a whole-ledger check
     * every night grows by a night's postings each day); {@code ledger verify} checks everything.
     */
    public Map<String, List<String>> violationsOf(String runId) {
        return violations(Scope.run(runId),
                "select ledger_account from ledger_balance where balance_cents < 0 order by 1 limit 5");
    }

    /**
     * The transactions checked and their legs, as WITH elements: {@code scoped} (ledger_txn rows),
     * {@code legs} (txn_id, ledger_account, amount_cents, and txn_cents: the sum of all legs of the
     * leg's transaction), and the same condition on a transaction {@code t}.
     */
    private record Scope(String scopedTxns, String legs, String condition) {

        static final Scope WHOLE_LEDGER = new Scope("scoped as not materialized (select * from ledger_txn)", """
                legs as not materialized (
                    select txn_id, ledger_account, amount_cents, sum(amount_cents) over (partition by txn_id) as txn_cents
                    from ledger_entry)""", "true");

        /**
         * One run's transactions, fetched once by run id, and their legs found by transaction: one
         * probe of ledger_entry's primary key per transaction, once for all the checks. The lateral
         * subquery's {@code offset 0} keeps PostgreSQL from turning it into a join, which it planned
         * as a scan of every leg ever written: a cost that grew with the ledger every night. On an
         * empty ledger (a benchmark's first night, 3.8M legs) the probes take 4.9 s against 1.2 s
         * for a scan; a year in, a scan reads ~1.4 billion legs. Each transaction's legs are summed
         * in the probe itself, so finding unbalanced ones needs no grouping of the night's legs (a
         * sort of 1.7M legs through disk at 10M events).
         */
        static Scope run(String runId) {
            String condition = "t.run_id = '" + runId.replace("'", "''") + "'";
            return new Scope("scoped as materialized (select * from ledger_txn t where " + condition + ")", """
                    legs as materialized (
                        select t.txn_id, l.ledger_account, l.amount_cents, l.txn_cents from scoped t cross join lateral (
                            select e.ledger_account, e.amount_cents, sum(e.amount_cents) over () as txn_cents
                            from ledger_entry e where e.txn_id = t.txn_id offset 0) l)""", condition);
        }
    }

    /** {@code negativeWalletsSql}: the query listing negative wallets. */
    private Map<String, List<String>> violations(Scope scope, String negativeWalletsSql) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String check : List.of("transactions_balance", "wallet_balance_equals_entries", "no_negative_wallet",
                "creator_balance_equals_entries", "debits_add_up", "payouts_match_ledger")) {
            result.put(check, new ArrayList<>());
        }
        jdbc.query("""
                with %1$s, %2$s,
                unbalanced as (select distinct e.txn_id from legs e where e.txn_cents <> 0 order by 1 limit 5),
                wallets as (%3$s),
                creators as (%4$s),
                debits as (
                    select t.txn_id from scoped t where t.type = 'debit'
                    and (t.charge_cents <> t.collected_cents + t.uncollected_cents or t.amount_cents <> -t.collected_cents)
                    order by 1 limit 5)
                select 'transactions_balance', txn_id from unbalanced
                union all select 'wallet_balance_equals_entries', account_id from wallets
                union all select 'creator_balance_equals_entries', account_id from creators
                union all select 'debits_add_up', txn_id from debits"""
                .formatted(scope.scopedTxns(), scope.legs(), ownerNotEqualEntries("'deposit', 'debit', 'refund'", "wallet:"),
                        ownerNotEqualEntries("'earning', 'payout'", "payable:creator:")),
                rs -> {
                    result.get(rs.getString(1)).add(rs.getString(2));
                });
        result.put("no_negative_wallet", jdbc.queryForList(negativeWalletsSql, String.class));
        result.put("payouts_match_ledger", jdbc.queryForList("""
                with returned as (
                    select refers_to as payout_id, sum(amount_cents) as cents from ledger_txn
                    where type = 'payout' and refers_to is not null group by 1)
                select p.payout_id from payout p
                left join ledger_txn t on t.txn_id = p.payout_id
                left join returned r on r.payout_id = p.payout_id
                where (t.txn_id is null or %1$s)
                  and (t.amount_cents is distinct from -p.amount_cents
                   or coalesce(r.cents, 0) not between 0 and p.amount_cents
                   or (p.status = 'failed' and coalesce(r.cents, 0) <> p.amount_cents)
                   or (p.status in ('pending', 'paid') and coalesce(r.cents, 0) <> 0))
                union all
                select t.txn_id from ledger_txn t where %1$s and t.type = 'payout' and t.refers_to is null
                   and not exists (select 1 from payout p where p.payout_id = t.txn_id)
                order by 1 limit 5""".formatted(scope.condition()), String.class));
        return result;
    }

    /**
     * SQL over {@code scoped} and {@code legs}: up to 5 owners ({@code account_id}) whose
     * transactions of these types do not sum to their entries on the owner's ledger account (prefix
     * + account id) in the transactions in scope.
     */
    private static String ownerNotEqualEntries(String types, String accountPrefix) {
        return """
                with by_txn as (
                    select t.account_id, sum(t.amount_cents) as cents from scoped t where t.type in (%1$s) group by 1),
                by_entry as (
                    select substr(e.ledger_account, %3$d) as account_id, sum(e.amount_cents) as cents
                    from legs e where e.ledger_account like '%2$s%%' group by 1)
                select coalesce(t.account_id, e.account_id) as account_id from by_txn t full join by_entry e using (account_id)
                where coalesce(t.cents, 0) <> coalesce(e.cents, 0) order by 1 limit 5"""
                .formatted(types, accountPrefix, accountPrefix.length() + 1);
    }

    public static boolean allHold(Map<String, List<String>> violations) {
        return violations.values().stream().allMatch(List::isEmpty);
    }

    /**
     * SHA-256 over the ledger's content in txn id order: ids, accounts, types, amounts, effective
     * dates, descriptions and legs; not wall-clock times or run bookkeeping. Two ledgers with the
     * same money movements have the same hash.
     */
    public String canonicalHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            jdbc.query("""
                    select t.txn_id, t.account_id, t.type, t.amount_cents, t.currency, t.effective_date, t.description,
                           coalesce(t.resource_id, ''), coalesce(t.charge_cents::text, ''),
                           coalesce(t.uncollected_cents::text, ''), coalesce(t.refers_to, ''),
                           string_agg(e.leg || '=' || e.ledger_account || '=' || e.amount_cents, ',' order by e.leg)
                    from ledger_txn t join ledger_entry e using (txn_id)
                    group by t.txn_id order by t.txn_id""", rs -> {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= 12; i++) {
                    line.append(rs.getString(i)).append('|');
                }
                sha.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
