package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

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

    /** Each invariant by name, with up to 5 offending ids (empty when it holds). */
    public Map<String, List<String>> violations() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        result.put("transactions_balance", jdbc.queryForList("""
                select t.txn_id from ledger_txn t left join ledger_entry e using (txn_id)
                group by t.txn_id having coalesce(sum(e.amount_cents), 0) <> 0 order by 1 limit 5""", String.class));
        result.put("wallet_balance_equals_entries", jdbc.queryForList("""
                with by_txn as (
                    select account_id, sum(amount_cents) as cents from ledger_txn
                    where type in ('deposit', 'debit', 'refund') group by 1),
                by_entry as (
                    select substr(ledger_account, 8) as account_id, sum(amount_cents) as cents from ledger_entry
                    where ledger_account like 'wallet:%' group by 1)
                select coalesce(t.account_id, e.account_id) from by_txn t full join by_entry e using (account_id)
                where coalesce(t.cents, 0) <> coalesce(e.cents, 0) order by 1 limit 5""", String.class));
        result.put("no_negative_wallet", jdbc.queryForList("""
                select ledger_account from ledger_entry where ledger_account like 'wallet:%'
                group by 1 having sum(amount_cents) < 0 order by 1 limit 5""", String.class));
        result.put("creator_balance_equals_entries", jdbc.queryForList("""
                with by_txn as (
                    select account_id, sum(amount_cents) as cents from ledger_txn
                    where type in ('earning', 'payout') group by 1),
                by_entry as (
                    select substr(ledger_account, 17) as account_id, sum(amount_cents) as cents from ledger_entry
                    where ledger_account like 'payable:creator:%' group by 1)
                select coalesce(t.account_id, e.account_id) from by_txn t full join by_entry e using (account_id)
                where coalesce(t.cents, 0) <> coalesce(e.cents, 0) order by 1 limit 5""", String.class));
        result.put("debits_add_up", jdbc.queryForList("""
                select txn_id from ledger_txn where type = 'debit'
                and (charge_cents <> collected_cents + uncollected_cents or amount_cents <> -collected_cents)
                order by 1 limit 5""", String.class));
        result.put("payouts_match_ledger", jdbc.queryForList("""
                with returned as (
                    select refers_to as payout_id, sum(amount_cents) as cents from ledger_txn
                    where type = 'payout' and refers_to is not null group by 1)
                select p.payout_id from payout p
                left join ledger_txn t on t.txn_id = p.payout_id
                left join returned r on r.payout_id = p.payout_id
                where t.amount_cents is distinct from -p.amount_cents
                   or coalesce(r.cents, 0) not between 0 and p.amount_cents
                   or (p.status = 'failed' and coalesce(r.cents, 0) <> p.amount_cents)
                   or (p.status in ('pending', 'paid') and coalesce(r.cents, 0) <> 0)
                union all
                select t.txn_id from ledger_txn t where t.type = 'payout' and t.refers_to is null
                   and not exists (select 1 from payout p where p.payout_id = t.txn_id)
                order by 1 limit 5""", String.class));
        return result;
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
