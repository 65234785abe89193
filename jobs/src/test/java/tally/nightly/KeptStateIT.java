package tally.nightly;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tally.testing.Cli;
import tally.testing.RatedEvents;
import tally.infra.TallyConfig;
import tally.rules.RulesLoader;
import tally.testing.SampleRun;
import tally.usage.RowValidator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * State the nightly keeps next to the data so that later nights read one row per key instead of
 * their history: carried rounding (usage_carry). What the sample nights leave, and `ledger verify`'s
 * check of it.
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
        java.time.YearMonth month = java.time.YearMonth.from(((java.sql.Date) key.get("usage_month")).toLocalDate());
        Long exact = RatedEvents.all(cli).stream().filter(e -> e.payerAccountId().equals(key.get("payer_account_id"))
                        && key.get("resource_id").equals(e.resourceId()) && java.time.YearMonth.from(e.usageDate()).equals(month))
                .mapToLong(tally.rating.RatedEvent::chargeUcents).sum();
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

    /**
     * The nightly's own control of carried rounding: a key whose kept state does not match what
     * the night's debits added to it (last_posted_cents), or whose kept cents are not its rounded
     * exact charges (posted_cents), fails the run's summary and is named.
     */
    @ParameterizedTest
    @ValueSource(strings = {"last_posted_cents", "posted_cents"})
    void theNightsSummaryFailsOnAndNamesAKeyWhoseKeptStateDoesNotHold(String tamperedColumn) throws Exception {
        LocalDate day = LocalDate.parse(SampleRun.DAYS.get(SampleRun.DAYS.size() - 1));
        String runId = "nightly:" + day;
        Map<String, Object> key = jdbc.queryForMap("""
                select payer_account_id, resource_id, usage_month from usage_carry where last_run_id = ? order by 1, 2, 3
                limit 1""", runId);
        jdbc.update("update usage_carry set " + tamperedColumn + " = " + tamperedColumn + " + 1"
                + " where payer_account_id = ? and resource_id = ? and usage_month = ?",
                key.get("payer_account_id"), key.get("resource_id"), key.get("usage_month"));
        jdbc.update("delete from run_summary where run_id = ?", runId); // so that the summary is computed again
        Path runDir = home.resolve("summary-again");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TallyConfig.class)
                .properties(Map.of("tally.db.url", cli.dbUrl(), "tally.home", home.toString(), "tally.rules", Cli.RULES.toString()))
                .logStartupInfo(false).registerShutdownHook(false).run()) {
            NightlyParameters parameters = new NightlyParameters(day, Cli.SAMPLE.resolve("usage"),
                    NightlyParameters.DEFAULT_MAX_REJECT_RATE, RowValidator.DEFAULT_LATENESS);
            assertThatThrownBy(() -> app.getBean(NightlySummary.class).write(parameters, runDir, null,
                    RulesLoader.load(Cli.RULES)))
                    .hasMessageContaining("postings_equal_rounded_exact_charges=false")
                    .hasMessageContaining(key.get("payer_account_id") + "/" + key.get("resource_id") + "/" + key.get("usage_month"));
        }
        JsonNode summary = tally.cli.Json.mapper()
                .readTree(Files.readString(runDir.resolve("summary.json")));
        assertThat(summary.get("controls").get("postings_equal_rounded_exact_charges").asBoolean()).isFalse();
        assertThat(summary.get("controls_ok").asBoolean()).isFalse();
    }
}
