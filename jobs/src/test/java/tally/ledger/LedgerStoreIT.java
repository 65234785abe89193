package tally.ledger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tally.money.Money;
import tally.testing.Cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One write path for one transaction or many: only new ids are written, legs numbered in order; or,
 * for writes known to be new, every one of them or none.
 */
class LedgerStoreIT {

    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @TempDir
    Path home;

    JdbcTemplate jdbc;
    LedgerStore ledger;

    @BeforeEach
    void migratedDatabase() {
        jdbc = sampleDatabase(home);
        ledger = new LedgerStore(jdbc, jdbc.getDataSource());
    }

    /** A database under home with the sample reference data imported. */
    static JdbcTemplate sampleDatabase(Path home) {
        Cli cli = new Cli(home);
        cli.importSample();
        return new JdbcTemplate(new DriverManagerDataSource(cli.dbUrl()));
    }

    static LedgerTxn deposit(String id, long cents) {
        return new LedgerTxn(id, "acct_test", TxnType.DEPOSIT, cents, "Test deposit", DAY, "test", DAY, null, null,
                null, null, List.of(new LedgerTxn.Leg("wallet:acct_test", cents), new LedgerTxn.Leg("clearing:test", -cents)));
    }

    static LedgerTxn debit(String id, long cents) {
        return new LedgerTxn(id, "acct_test", TxnType.DEBIT, -cents, "Test debit", DAY, "test", DAY, "tool_x", DAY.withDayOfMonth(1),
                new LedgerTxn.DebitAmounts(Money.centsToUcents(cents), cents, cents, 0), null, List.of(
                new LedgerTxn.Leg("wallet:acct_test", -cents), new LedgerTxn.Leg(LedgerAccounts.CLEARING_MARKETPLACE, cents)));
    }

    static LedgerTxn earning(String id, String refersTo, long cents) {
        return new LedgerTxn(id, "acct_creator", TxnType.EARNING, cents - 1, "Test earning", DAY, "test", DAY, "tool_x",
                DAY.withDayOfMonth(1), null, refersTo, List.of(
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_MARKETPLACE, -cents),
                new LedgerTxn.Leg("payable:creator:acct_creator", cents - 1),
                new LedgerTxn.Leg(LedgerAccounts.REVENUE_MARKETPLACE_FEE, 1)));
    }

    @Test
    void writesTheNewOnesInOrderAndSkipsTheRest() {
        List<LedgerTxn> first = List.of(deposit("test:deposit", 1000), debit("test:debit", 300),
                earning("test:earning", "test:debit", 300));
        assertThat(ledger.postAll(first)).isEqualTo(first);

        LedgerTxn later = deposit("test:deposit-2", 700);
        assertThat(ledger.postAll(List.of(first.get(1), later, first.get(0)))).containsExactly(later);
        assertThat(ledger.post(first.get(2))).isFalse();
        assertThat(ledger.post(deposit("test:deposit-3", 500))).isTrue();

        assertThat(jdbc.queryForList("select txn_id || '/' || leg || '/' || ledger_account || '/' || amount_cents"
                + " from ledger_entry where txn_id like 'test:%' order by txn_id, leg", String.class)).containsExactly(
                "test:debit/1/wallet:acct_test/-300",
                "test:debit/2/" + LedgerAccounts.CLEARING_MARKETPLACE + "/300",
                "test:deposit/1/wallet:acct_test/1000",
                "test:deposit/2/clearing:test/-1000",
                "test:deposit-2/1/wallet:acct_test/700",
                "test:deposit-2/2/clearing:test/-700",
                "test:deposit-3/1/wallet:acct_test/500",
                "test:deposit-3/2/clearing:test/-500",
                "test:earning/1/" + LedgerAccounts.CLEARING_MARKETPLACE + "/-300",
                "test:earning/2/payable:creator:acct_creator/299",
                "test:earning/3/" + LedgerAccounts.REVENUE_MARKETPLACE_FEE + "/1");
        assertThat(ledger.walletBalanceCents("wallet:acct_test")).isEqualTo(1000 - 300 + 700 + 500);
    }

    @Test
    void postingAsNewRefusesAnIdAlreadyWrittenAndWritesNoneOfTheOthers() {
        LedgerTxn first = deposit("test:deposit", 1000);
        ledger.postNew(List.of(first, debit("test:debit", 300)));
        assertThat(ledger.walletBalanceCents("wallet:acct_test")).isEqualTo(700);

        assertThatThrownBy(() -> ledger.postNew(List.of(deposit("test:deposit-2", 500), first)))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("test:deposit");
        assertThat(ledger.exists("test:deposit-2")).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from ledger_entry where txn_id like 'test:%'", Long.class))
                .isEqualTo(4);
        assertThat(ledger.walletBalanceCents("wallet:acct_test")).isEqualTo(700);
    }

    @Test
    void refusesTheSameIdTwiceInOneWrite() {
        assertThatThrownBy(() -> ledger.postAll(List.of(deposit("test:twice", 600), deposit("test:twice", 600))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test:twice");
        assertThat(ledger.exists("test:twice")).isFalse();
    }
}
