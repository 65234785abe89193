package tally.rerun;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Fixture;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finance reruns on a hand-computable ledger: bot_a sends 10 gpt-4o messages a day (10,000 tokens in,
 * 2,000 out) on 2026-03-02 and 2026-03-03. At $2.50/$10.00 per million tokens each costs
 * 10,000 x 2.5e-4 + 2,000 x 1e-3 = 4.5 cents: 45 cents a day, 90 in all.
 */
class RerunIT {

    static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
    static final LocalDate DAY2 = LocalDate.parse("2026-03-03");
    static final String GPT4O = "openai,gpt-4o,2025-01-01,,2.50,10.00";

    @TempDir
    Path tmp;

    Cli cli;

    @BeforeEach
    void twoNightsPosted() {
        cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.oneBotReference(tmp.resolve("ref"), 10_000).toString());
        Path input = tmp.resolve("input");
        Fixture.botMessages(input, DAY1, "gpt-4o", 10, 10_000, 2_000);
        Fixture.botMessages(input, DAY2, "gpt-4o", 10, 10_000, 2_000);
        cli.nightly(DAY1.toString(), input);
        cli.nightly(DAY2.toString(), input);
        assertThat(balance()).isEqualTo(10_000 - 90);
    }

    long balance() {
        return cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong();
    }

    String hash() {
        return cli.ok("ledger", "verify").get("hash").asText();
    }

    JsonNode rerun(String from, String to, boolean dryRun) {
        return dryRun ? cli.ok("rerun", "--from", from, "--to", to, "--dry-run") : cli.ok("rerun", "--from", from, "--to", to);
    }

    /** Day 2 re-priced from `from` on: input and output prices per million tokens. */
    void repriceGpt4o(String name, String from, String input, String output) {
        cli.withRules(Fixture.rulesWith(tmp.resolve(name), GPT4O, List.of(
                "openai,gpt-4o,2025-01-01," + from + ",2.50,10.00",
                "openai,gpt-4o," + from + ",," + input + "," + output)));
    }

    @Test
    void rerunWithUnchangedRulesPostsNothingAndKeepsTheHash() {
        String before = hash();
        JsonNode result = rerun("2026-03-01", "2026-03-31", false);
        assertThat(result.get("corrections")).isEmpty();
        assertThat(result.get("events_changed").asLong()).isZero();
        assertThat(hash()).isEqualTo(before);
    }

    @Test
    void priceIncreasePostsExactlyTheDifferenceOnceAndDryRunShowsTheSame() {
        // From day 2 gpt-4o costs $5/$20: 9 cents a message, 90 cents for the day instead of 45: +45 cents.
        repriceGpt4o("rules-up", "2026-03-03", "5.00", "20.00");

        JsonNode dry = rerun("2026-03-02", "2026-03-03", true);
        assertThat(balance()).as("a dry run posts nothing").isEqualTo(9_910);
        JsonNode real = rerun("2026-03-02", "2026-03-03", false);

        assertThat(real.get("corrections")).isEqualTo(dry.get("corrections"));
        assertThat(real.get("corrections")).hasSize(1);
        JsonNode correction = real.get("corrections").get(0);
        assertThat(correction.get("type").asText()).isEqualTo("debit");
        assertThat(correction.get("usage_date").asText()).isEqualTo("2026-03-03");
        assertThat(correction.get("charge_difference_cents").asLong()).isEqualTo(45);
        assertThat(correction.get("refers_to").asText()).isEqualTo("debit:acct_a:bot_a:2026-03-03:2026-03-03");
        assertThat(balance()).isEqualTo(10_000 - 135);

        String after = hash();
        assertThat(rerun("2026-03-02", "2026-03-03", true).get("corrections")).as("nothing left to correct").isEmpty();
        assertThat(rerun("2026-03-01", "2026-03-31", false).get("corrections")).isEmpty();
        assertThat(hash()).isEqualTo(after);
    }

    @Test
    void priceDecreaseRefundsWithHalfEvenCarriedRounding() {
        // Day 2 at $1.25/$5: 2.25 cents a message, 22.5 for the day; the month's exact total 45 + 22.5 = 67.5
        // rounds half-even to 68 cents, and 90 were posted: a refund of 22 cents.
        repriceGpt4o("rules-down", "2026-03-03", "1.25", "5.00");
        JsonNode real = rerun("2026-03-03", "2026-03-03", false);

        assertThat(real.get("corrections")).hasSize(1);
        JsonNode refund = real.get("corrections").get(0);
        assertThat(refund.get("type").asText()).isEqualTo("refund");
        assertThat(refund.get("amount_cents").asLong()).isEqualTo(22);
        assertThat(balance()).isEqualTo(10_000 - 68);
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }
}
