package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tally.infra.FaultInjection;

import java.sql.Date;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The only code that writes the ledger. It inserts; the database refuses updates and deletes. */
@Repository
public class LedgerStore {

    private final JdbcTemplate jdbc;

    public LedgerStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the transaction unless its id is already in the ledger; returns whether it was new. */
    public boolean post(LedgerTxn txn) {
        int inserted = jdbc.update("""
                insert into ledger_txn (txn_id, account_id, type, amount_cents, description, effective_date, run_id,
                    run_date, resource_id, usage_month, charge_cents, collected_cents, uncollected_cents, refers_to)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (txn_id) do nothing""", ps -> {
            ps.setString(1, txn.txnId());
            ps.setString(2, txn.accountId());
            ps.setString(3, txn.type().code());
            ps.setLong(4, txn.amountCents());
            ps.setString(5, txn.description());
            ps.setDate(6, Date.valueOf(txn.effectiveDate()));
            ps.setString(7, txn.runId());
            ps.setObject(8, txn.runDate() == null ? null : Date.valueOf(txn.runDate()), Types.DATE);
            ps.setString(9, txn.resourceId());
            ps.setObject(10, txn.usageMonth() == null ? null : Date.valueOf(txn.usageMonth()), Types.DATE);
            LedgerTxn.DebitAmounts debit = txn.debit();
            ps.setObject(11, debit == null ? null : debit.chargeCents(), Types.BIGINT);
            ps.setObject(12, debit == null ? null : debit.collectedCents(), Types.BIGINT);
            ps.setObject(13, debit == null ? null : debit.uncollectedCents(), Types.BIGINT);
            ps.setString(14, txn.refersTo());
        });
        if (inserted == 0) {
            return false;
        }
        List<Object[]> legs = new ArrayList<>();
        for (int i = 0; i < txn.legs().size(); i++) {
            LedgerTxn.Leg leg = txn.legs().get(i);
            legs.add(new Object[] {txn.txnId(), i + 1, leg.ledgerAccount(), leg.amountCents()});
        }
        jdbc.batchUpdate("insert into ledger_entry (txn_id, leg, ledger_account, amount_cents) values (?, ?, ?, ?)", legs);
        FaultInjection.checkpoint("ledger-write");
        return true;
    }

    public boolean exists(String txnId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from ledger_txn where txn_id = ?)", Boolean.class, txnId));
    }

    /** The balance of one ledger account: the sum of its entries. */
    public long balanceCents(String ledgerAccount) {
        Long sum = jdbc.queryForObject(
                "select coalesce(sum(amount_cents), 0) from ledger_entry where ledger_account = ?", Long.class, ledgerAccount);
        return sum == null ? 0 : sum;
    }

    /** Balances of every ledger account whose name starts with the prefix. */
    public Map<String, Long> balancesWithPrefix(String prefix) {
        Map<String, Long> balances = new HashMap<>();
        jdbc.query("select ledger_account, sum(amount_cents) from ledger_entry where ledger_account like ? group by 1",
                rs -> {
                    balances.put(rs.getString(1), rs.getLong(2));
                }, prefix.replace("_", "\\_") + "%");
        return balances;
    }
}
