package tally.rerun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tally.testing.Cli;
import tally.testing.RatedEvents;
import tally.testing.Fixture;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rerun changes what a capped bot spent, and the next night's cap starts from the re-rated spend.
 * bot_a has a 50-cent lifetime cap and sends 10 gpt-4o messages a day (10,000 tokens in, 2,000 out):
 * 4.5 cents each at $2.50/$10.00, 2.25 cents each at $1.25/$5.00.
 */
class RerunCapHistoryIT {

    static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
    static final LocalDate DAY2 = LocalDate.parse("2026-03-03");

    @Test
    void theNightAfterARerunCapsOnTheRerunsCharges(@TempDir Path tmp) {
        Cli cli = new Cli(tmp.resolve("home"));
        Path reference = Fixture.oneBotReference(tmp.resolve("ref"), 10_000);
        Fixture.write(reference.resolve("bots.csv"), """
                bot_id,account_id,name,platform,billing_mode,spending_cap_cents,conversation_cap_cents,daily_cap_cents,monthly_cap_cents
                bot_a,acct_a,helper,custom,wallet,50,,,
                """);
        cli.ok("import", "reference", "--dir", reference.toString());
        Path input = tmp.resolve("input");
        Fixture.botMessages(input, DAY1, "gpt-4o", 10, 10_000, 2_000);
        Fixture.botMessages(input, DAY2, "gpt-4o", 10, 10_000, 2_000);
        cli.nightly(DAY1.toString(), input);
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(cli.dbUrl()));
        assertThat(chargedUcents(cli, DAY1)).isEqualTo(45_000_000L);

        cli.withRules(Fixture.rulesWith(tmp.resolve("halved"), RerunIT.GPT4O, List.of(
                "openai,gpt-4o,2025-01-01,2026-03-02,2.50,10.00", "openai,gpt-4o,2026-03-02,,1.25,5.00")));
        cli.ok("rerun", "--from", DAY1.toString(), "--to", DAY1.toString());
        assertThat(chargedUcents(cli, DAY1)).isEqualTo(22_500_000L);

        cli.nightly(DAY2.toString(), input);
        assertThat(chargedUcents(cli, DAY2)).as("50 - 22.5 cents left under the cap: nothing capped")
                .isEqualTo(22_500_000L);
        assertThat(RatedEvents.all(cli)).noneMatch(tally.rating.RatedEvent::capped);
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }

    private static long chargedUcents(Cli cli, LocalDate arrivalDay) {
        return RatedEvents.all(cli).stream().filter(e -> e.arrivalDate().equals(arrivalDay))
                .mapToLong(tally.rating.RatedEvent::chargeUcents).sum();
    }
}
