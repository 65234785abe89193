package tally.ledger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database itself refuses to edit the ledger, and `ledger verify` catches a ledger that breaks a rule. */
class LedgerAppendOnlyIT {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void sampleDayPosted() {
        cli = new Cli(home);
        cli.importSample();
        cli.nightly("2026-03-02", Cli.SAMPLE.resolve("usage"));
    }

    void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(cli.dbUrl()); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void updatesDeletesAndTruncatesOfTheLedgerAreRefused() {
        String hash = cli.ok("ledger", "verify").get("hash").asText();
        for (String edit : new String[] {
                "update ledger_txn set amount_cents = amount_cents - 1 where type = 'debit'",
                "update ledger_entry set amount_cents = 0",
                "delete from ledger_entry where ledger_account like 'wallet:%'",
                "delete from ledger_txn",
                "truncate ledger_entry",
                "truncate ledger_txn cascade"}) {
            assertThatThrownBy(() -> sql(edit)).as(edit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(cli.ok("ledger", "verify").get("hash").asText()).isEqualTo(hash);
    }

    @Test
    void anUnbalancedTransactionCannotCommit() {
        assertThatThrownBy(() -> sql("""
                begin;
                insert into ledger_txn (txn_id, account_id, type, amount_cents, description, effective_date)
                values ('manual:1', 'acct_acme', 'deposit', 100, 'hand-made', '2026-03-02');
                insert into ledger_entry (txn_id, leg, ledger_account, amount_cents) values ('manual:1', 1, 'wallet:acct_acme', 100);
                commit;""")).isInstanceOf(SQLException.class).hasMessageContaining("does not balance");
    }

    @Test
    void aLegOfNoTransactionIsRefused() {
        assertThatThrownBy(() -> sql("""
                insert into ledger_entry (txn_id, leg, ledger_account, amount_cents) values
                    ('manual:none', 1, 'wallet:acct_acme', 100), ('manual:none', 2, 'revenue:usage', -100);"""))
                .isInstanceOf(SQLException.class).hasMessageContaining("ledger entry of transaction manual:none refers to no transaction");
    }

    @Test
    void verifyExitsOneAndNamesTheWalletWhenAWalletGoesNegative() throws SQLException {
        sql("""
                insert into ledger_txn (txn_id, account_id, type, amount_cents, description, effective_date)
                values ('manual:overdraw', 'acct_globex', 'debit', -100000, 'hand-made overdraft', '2026-03-02');
                insert into ledger_entry (txn_id, leg, ledger_account, amount_cents) values
                    ('manual:overdraw', 1, 'wallet:acct_globex', -100000), ('manual:overdraw', 2, 'revenue:usage', 100000);""");
        Cli.Result verify = cli.run("ledger", "verify");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.json().get("ok").asBoolean()).isFalse();
        assertThat(verify.json().at("/invariants/no_negative_wallet").toString()).contains("wallet:acct_globex");
    }
}
