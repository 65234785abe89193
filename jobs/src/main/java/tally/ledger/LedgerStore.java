package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tally.infra.FaultInjection;
import tally.infra.PgCopy;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The only code that writes the ledger. It inserts; the database refuses updates and deletes. */
@Repository
public class LedgerStore {

    /** ledger_txn's columns as the writes give them, and their types (a date goes as its ISO text). */
    private static final List<String> TXN_COLUMNS = List.of("txn_id", "account_id", "type", "amount_cents",
            "description", "effective_date", "run_id", "run_date", "resource_id", "usage_month", "exact_ucents",
            "charge_cents", "collected_cents", "uncollected_cents", "refers_to");
    private static final List<String> TXN_COLUMN_TYPES = List.of("text", "text", "text", "bigint", "text", "date",
            "text", "date", "text", "date", "bigint", "bigint", "bigint", "bigint", "text");

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
        Set<String> inserted = new HashSet<>(insertTxnsSkippingExisting(txns));
        List<LedgerTxn> written = txns.stream().filter(txn -> inserted.contains(txn.txnId())).toList();
        insertLegs(written);
        checkpointPerTxn(written);
        return written;
    }

    /**
     * Writes transactions the caller knows are not in the ledger yet, with their legs, in two
     * COPY statements: a bucket's debits, whose ids name the bucket's arrival day, posted in the
     * transaction that claims the bucket and marks it rated. An id already in the ledger is refused
     * (the primary key's unique violation, a {@code DuplicateKeyException}) and the caller's
     * transaction with it: never skipped, since a debit found there means the bucket's claim did
     * not hold. No skip-if-present form: it probes the primary key once more per row and returns
     * every id (805k debits a 10M-event night: 9.3-10.4 s against 7.0-7.9 s, docs/performance.md).
     */
    public void postNew(List<LedgerTxn> txns) {
        if (txns.isEmpty()) {
            return;
        }
        requireDistinctIds(txns);
        try (PgCopy copy = PgCopy.oneStatement(dataSource, "ledger_txn", TXN_COLUMNS)) {
            for (LedgerTxn txn : txns) {
                copy.row(valuesOf(txn));
            }
        }
        insertLegs(txns);
        checkpointPerTxn(txns);
    }

    private static void checkpointPerTxn(List<LedgerTxn> written) {
        // One crash point per transaction written: its rows are in, the database transaction not committed.
        for (int i = 0; i < written.size(); i++) {
            FaultInjection.checkpoint("ledger-write");
        }
    }

    private static void requireDistinctIds(List<LedgerTxn> txns) {
        Set<String> distinctIds = new HashSet<>();
        for (LedgerTxn txn : txns) {
            if (!distinctIds.add(txn.txnId())) {
                throw new IllegalArgumentException("transaction " + txn.txnId() + " twice in one write");
            }
        }
    }

    /** One transaction's row, in {@link #TXN_COLUMNS} order. */
    private static Object[] valuesOf(LedgerTxn txn) {
        LedgerTxn.DebitAmounts debit = txn.debit();
        return new Object[]{txn.txnId(), txn.accountId(), txn.type().code(), txn.amountCents(), txn.description(),
                txn.effectiveDate(), txn.runId(), txn.runDate(), txn.resourceId(), txn.usageMonth(),
                debit == null ? null : debit.exactUcents(), debit == null ? null : debit.chargeCents(),
                debit == null ? null : debit.collectedCents(), debit == null ? null : debit.uncollectedCents(),
                txn.refersTo()};
    }

    /**
     * Inserts the transaction rows whose ids are not in the ledger yet, in one statement from one
     * array per column; returns the ids inserted. A transaction may refer to another of the same
     * write (an earning to its debit): foreign keys are checked at the end of the statement.
     */
    private List<String> insertTxnsSkippingExisting(List<LedgerTxn> txns) {
        requireDistinctIds(txns);
        int n = txns.size();
        Object[][] columns = new Object[TXN_COLUMNS.size()][n];
        for (int i = 0; i < n; i++) {
            Object[] values = valuesOf(txns.get(i));
            for (int c = 0; c < values.length; c++) {
                columns[c][i] = values[c] instanceof LocalDate day ? day.toString() : values[c];
            }
        }
        Object[] parameters = new Object[columns.length];
        StringJoiner arrays = new StringJoiner(", ");
        for (int c = 0; c < columns.length; c++) {
            String type = TXN_COLUMN_TYPES.get(c);
            parameters[c] = array(type.equals("date") ? "text" : type, columns[c]);
            arrays.add("?::" + type + "[]");
        }
        return jdbc.queryForList("insert into ledger_txn (" + String.join(", ", TXN_COLUMNS) + ") select * from unnest("
                + arrays + ") on conflict (txn_id) do nothing returning txn_id", String.class, parameters);
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
