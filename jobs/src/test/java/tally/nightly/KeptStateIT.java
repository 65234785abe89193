package tally.nightly;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tally.testing.Cli;
import tally.testing.SampleRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State the nightly keeps next to the data so that later nights read one row per key instead of
 * their history: carried rounding (usage_carry) and bot spend for caps (bot_spend). What the sample
 * nights leave, that the migrations' backfills rebuild exactly that, and `ledger verify`'s check.
 */
class KeptStateIT {

    static final String KEPT = """
            select payer_account_id, usage_month, resource_id, exact_ucents, posted_cents from usage_carry order by 1, 2, 3""";

    @TempDir
    Path home;

    Cli cli;
    JdbcTemplate jdbc;

    @BeforeEach
    void sampleNights() {
        cli = new Cli(home);
        cli.importSample();
        SampleRun.DAYS.forEach(day -> cli.nightly(day, Cli.SAMPLE.resolve("usage")));
        jdbc = new JdbcTemplate(new DriverManagerDataSource(cli.dbUrl()));
    }

    @Test
    void eachKeyHoldsTheMonthsExactChargesAndTheCentsPostedForThem() {
        Map<String, Object> key = jdbc.queryForMap("""
                select c.payer_account_id, c.resource_id, c.usage_month, c.exact_ucents, c.posted_cents,
                       (select count(distinct run_id) from ledger_txn t where t.account_id = c.payer_account_id
                        and t.resource_id = c.resource_id and t.type = 'debit') as nights
                from usage_carry c order by nights desc, c.exact_ucents desc limit 1""");
        assertThat((Long) key.get("nights")).as("a key posted on several nights").isGreaterThan(1);
        Long exact = jdbc.queryForObject("""
                select sum(charge_ucents) from usage_event where payer_account_id = ? and resource_id = ?
                and date_trunc('month', usage_date) = ?""",
                Long.class, key.get("payer_account_id"), key.get("resource_id"), key.get("usage_month"));
        Long posted = jdbc.queryForObject("""
                select sum(charge_cents) from ledger_txn where account_id = ? and resource_id = ? and type = 'debit'
                and usage_month = ?""",
                Long.class, key.get("payer_account_id"), key.get("resource_id"), key.get("usage_month"));
        assertThat(key.get("exact_ucents")).isEqualTo(exact);
        assertThat(key.get("posted_cents")).isEqualTo(posted);
        assertThat(cli.ok("ledger", "verify").get("invariants").get("usage_carry_equals_usage_and_postings").asText())
                .isEqualTo("ok");
    }

    @Test
    void theMigrationsBackfillRebuildsExactlyTheStatePostingKeeps() throws IOException {
        assertBackfillRebuilds("V15__usage_carry.sql", "usage_carry", KEPT);
    }

    @Test
    void theMigrationsBackfillRebuildsExactlyTheBotSpendRatingKeeps() throws IOException {
        assertBackfillRebuilds("V16__bot_spend.sql", "bot_spend", """
                select bot_id, arrival_date, usage_date, conversation_id, account_id, sum(charge_ucents) from bot_spend
                group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4 nulls first""");
    }

    private void assertBackfillRebuilds(String migrationFile, String table, String contentSql) throws IOException {
        List<Map<String, Object>> kept = jdbc.queryForList(contentSql);
        assertThat(kept).hasSizeGreaterThan(10);
        String migration = Files.readString(Cli.REPO.resolve("jobs/src/main/resources/db/migration").resolve(migrationFile));
        jdbc.update("delete from " + table);
        jdbc.execute(migration.substring(migration.indexOf("insert into " + table)));
        assertThat(jdbc.queryForList(contentSql)).isEqualTo(kept);
    }

    @Test
    void verifyNamesAKeptStateThatDisagreesWithTheUsageOrTheLedger() {
        Map<String, Object> first = jdbc.queryForList(KEPT).get(0);
        jdbc.update("update usage_carry set exact_ucents = exact_ucents + 1 where payer_account_id = ? and resource_id = ?",
                first.get("payer_account_id"), first.get("resource_id"));
        Cli.Result verify = cli.run("ledger", "verify");
        assertThat(verify.exitCode()).isEqualTo(1);
        JsonNode offending = verify.json().get("invariants").get("usage_carry_equals_usage_and_postings");
        assertThat(offending.get(0).asText())
                .isEqualTo(first.get("payer_account_id") + "/" + first.get("resource_id") + "/" + first.get("usage_month"));
    }
}
