package tally.ledger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.ledger.LedgerStoreIT.debit;
import static tally.ledger.LedgerStoreIT.deposit;

/** The run-scoped checks a nightly makes, the whole-ledger ones of `ledger verify`, and the kept wallet balances. */
class LedgerChecksIT {

    @TempDir
    Path home;

    JdbcTemplate jdbc;
    LedgerStore ledger;
    LedgerChecks checks;

    @BeforeEach
    void migratedDatabase() {
        jdbc = LedgerStoreIT.sampleDatabase(home);
        ledger = new LedgerStore(jdbc, jdbc.getDataSource());
        checks = new LedgerChecks(jdbc);
    }

    @Test
    void walletBalancesAreKeptWithEveryInsertOfLegs() {
        ledger.postAll(List.of(deposit("test:deposit", 1000), debit("test:debit", 300)));
        ledger.postAll(List.of(debit("test:debit-2", 200)));
        assertThat(ledger.walletBalanceCents("wallet:acct_test")).isEqualTo(500);
        assertThat(jdbc.queryForObject("select sum(amount_cents) from ledger_entry where ledger_account = 'wallet:acct_test'",
                Long.class)).isEqualTo(500);
        assertThat(ledger.walletBalanceCents("wallet:acct_nobody")).isZero();
        assertThat(checks.violations().get("kept_wallet_balances_equal_entries")).isEmpty();
    }

    @Test
    void aNegativeWalletIsNamedByTheRunChecksAndByVerify() {
        ledger.postAll(List.of(deposit("test:deposit", 100), debit("test:overdraw", 300)));
        assertThat(checks.violationsOf("test").get("no_negative_wallet")).containsExactly("wallet:acct_test");
        assertThat(checks.violations().get("no_negative_wallet")).containsExactly("wallet:acct_test");
    }

    @Test
    void aRunIsCheckedOnItsOwnTransactionsOnly() {
        jdbc.update("""
                insert into ledger_txn (txn_id, account_id, type, amount_cents, description, effective_date, run_id,
                    charge_cents, collected_cents, uncollected_cents)
                values ('bad:debit', 'acct_test', 'debit', -300, 'debit without legs', '2026-03-02', 'other-run',
                    300, 300, 0)""");
        assertThat(checks.violationsOf("other-run").get("wallet_balance_equals_entries")).containsExactly("acct_test");
        assertThat(checks.violations().get("wallet_balance_equals_entries")).containsExactly("acct_test");
        assertThat(checks.violationsOf("test").values()).allMatch(List::isEmpty);
    }
}
