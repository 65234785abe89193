package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tally.infra.FaultInjection;
import tally.infra.PgCopy;
import tally.infra.SqlDates;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The only code that writes the ledger. It inserts; the database refuses updates and deletes. */
@Repository
public class LedgerStore {

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    public LedgerStore(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Writes the transaction unless its id is already in the ledger; returns whether it was new. */
    public boolean post(LedgerTxn txn) {
        return !postAll(List.of(txn)).isEmpty();
    }

    /**
     * Writes the transactions whose ids are not yet in the ledger, with their legs, in two statements
     * however many there are; returns the ones newly written, in list order. The ids must be distinct.
     */
    public List<LedgerTxn> postAll(List<LedgerTxn> txns) {
        if (txns.isEmpty()) {
            return List.of();
        }
        Set<String> inserted = new HashSet<>(insertTxns(txns, true));
        List<LedgerTxn> written = txns.stream().filter(txn -> inserted.contains(txn.txnId())).toList();
        insertLegs(written);
        checkpointPerTxn(written);
        return written;
    }

    /**
     * Writes transactions the caller knows are not in the ledger yet, with their legs, in two
     * statements: a bucket's debits, whose ids name the bucket's arrival day, posted in the
     * transaction that claims the bucket and marks it rated. An id already in the ledger is refused
     * (the primary key's unique violation) and the caller's transaction with it: never skipped,
     * since a debit found there means the bucket's claim did not hold. A plain insert: the
     * skip-if-present form probes the primary key once more per row and returns every id
     * (805k debits a 10M-event night: 9.3-10.4 s against 7.0-7.9 s, docs/performance.md).
     */
    public void postNew(List<LedgerTxn> txns) {
        if (txns.isEmpty()) {
            return;
        }
        insertTxns(txns, false);
        insertLegs(txns);
        checkpointPerTxn(txns);
    }

    private static void checkpointPerTxn(List<LedgerTxn> written) {
        // One crash point per transaction written: its rows are in, the database transaction not committed.
        for (int i = 0; i < written.size(); i++) {
            FaultInjection.checkpoint("ledger-write");
        }
    }

    /**
     * Inserts the transaction rows; returns the ids that were not in the ledger yet when
     * {@code skipExisting}, else fails on an id already there (and returns nothing).
     */
    private List<String> insertTxns(List<LedgerTxn> txns, boolean skipExisting) {
        int n = txns.size();
        String[] txnIds = new String[n];
        String[] accountIds = new String[n];
        String[] types = new String[n];
        Long[] amountsCents = new Long[n];
        String[] descriptions = new String[n];
        List<LocalDate> effectiveDates = new ArrayList<>(n);
        String[] runIds = new String[n];
        List<LocalDate> runDates = new ArrayList<>(n);
        String[] resourceIds = new String[n];
        List<LocalDate> usageMonths = new ArrayList<>(n);
        Long[] exactUcents = new Long[n];
        Long[] chargesCents = new Long[n];
        Long[] collectedCents = new Long[n];
        Long[] uncollectedCents = new Long[n];
        String[] refersTo = new String[n];
        Set<String> distinctIds = new HashSet<>();
        for (int i = 0; i < n; i++) {
            LedgerTxn txn = txns.get(i);
            if (!distinctIds.add(txn.txnId())) {
                throw new IllegalArgumentException("transaction " + txn.txnId() + " twice in one write");
            }
            txnIds[i] = txn.txnId();
            accountIds[i] = txn.accountId();
            types[i] = txn.type().code();
            amountsCents[i] = txn.amountCents();
            descriptions[i] = txn.description();
            effectiveDates.add(txn.effectiveDate());
            runIds[i] = txn.runId();
            runDates.add(txn.runDate());
            resourceIds[i] = txn.resourceId();
            usageMonths.add(txn.usageMonth());
            LedgerTxn.DebitAmounts debit = txn.debit();
            exactUcents[i] = debit == null ? null : debit.exactUcents();
            chargesCents[i] = debit == null ? null : debit.chargeCents();
            collectedCents[i] = debit == null ? null : debit.collectedCents();
            uncollectedCents[i] = debit == null ? null : debit.uncollectedCents();
            refersTo[i] = txn.refersTo();
        }
        // A transaction may refer to another of the same write (an earning to its debit): foreign
        // keys are checked at the end of the statement.
        String insert = """
                insert into ledger_txn (txn_id, account_id, type, amount_cents, description, effective_date, run_id,
                    run_date, resource_id, usage_month, exact_ucents, charge_cents, collected_cents, uncollected_cents,
                    refers_to)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::date[], ?::text[],
                    ?::date[], ?::text[], ?::date[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])""";
        Object[] columns = {array("text", txnIds), array("text", accountIds), array("text", types), array("bigint", amountsCents),
                array("text", descriptions), SqlDates.array(effectiveDates), array("text", runIds),
                SqlDates.array(runDates), array("text", resourceIds), SqlDates.array(usageMonths),
                array("bigint", exactUcents), array("bigint", chargesCents), array("bigint", collectedCents), array("bigint", uncollectedCents),
                array("text", refersTo)};
        if (!skipExisting) {
            jdbc.update(insert, columns);
            return List.of();
        }
        return jdbc.queryForList(insert + " on conflict (txn_id) do nothing returning txn_id", String.class, columns);
    }

    /**
     * Inserts the legs of the transactions, numbered 1..n in each transaction's order, in one COPY:
     * one statement, so the legs' check (V12, V21) sees every transaction's legs together. COPY
     * against an insert from arrays: 1.67M legs of a 10M-event night in bucket-sized statements
     * 7.9-8.2 s against 13.5-13.6 s (docs/performance.md, session 13).
     */
    private void insertLegs(List<LedgerTxn> txns) {
        try (PgCopy copy = PgCopy.oneStatement(dataSource, "ledger_entry",
                List.of("txn_id", "leg", "ledger_account", "amount_cents"))) {
            for (LedgerTxn txn : txns) {
                for (int i = 0; i < txn.legs().size(); i++) {
                    LedgerTxn.Leg leg = txn.legs().get(i);
                    copy.row(txn.txnId(), i + 1, leg.ledgerAccount(), leg.amountCents());
                }
            }
        }
    }

    /** An array parameter, made by the statement's own connection (Connection.createArrayOf). */
    private static SqlArrayValue array(String elementType, Object[] elements) {
        return new SqlArrayValue(elementType, elements);
    }

    public boolean exists(String txnId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from ledger_txn where txn_id = ?)", Boolean.class, txnId));
    }

    /** A wallet's balance (wallet:A), kept with its entries (ledger_balance, V13); 0 before any entry. */
    public long walletBalanceCents(String wallet) {
        return walletBalancesCents(List.of(wallet)).get(wallet);
    }

    /** The wallets' balances (wallet:A), kept with their entries (ledger_balance, V13); 0 before any entry. */
    public Map<String, Long> walletBalancesCents(Collection<String> wallets) {
        Map<String, Long> balances = new HashMap<>();
        for (String wallet : wallets) {
            if (!wallet.startsWith("wallet:")) {
                throw new IllegalArgumentException(wallet + " is not a wallet account");
            }
            balances.put(wallet, 0L);
        }
        jdbc.query("select ledger_account, balance_cents from ledger_balance where ledger_account = any(?)",
                rs -> {
                    balances.put(rs.getString(1), rs.getLong(2));
                }, array("text", wallets.toArray(String[]::new)));
        return balances;
    }
}
