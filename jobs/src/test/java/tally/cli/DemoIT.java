package tally.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tally demo}: the whole sample pipeline ends with every control total holding, and again with the same balances. */
class DemoIT {

    @Test
    void demoHoldsItsControlTotalsAndARepeatPrintsTheSameBalances(@TempDir Path home) {
        Cli cli = new Cli(home);
        JsonNode first = cli.ok("demo", "--sample", Cli.SAMPLE.toString());
        assertThat(first.get("controls_ok").asBoolean()).isTrue();
        assertThat(first.get("ledger_ok").asBoolean()).isTrue();
        assertThat(first.get("nightly_runs")).hasSize(3).allSatisfy(run -> {
            assertThat(run.get("controls_ok").asBoolean()).isTrue();
            assertThat(run.get("charges_computed_cents").asLong())
                    .isEqualTo(run.get("debits_posted_cents").asLong() + run.get("uncollected_cents").asLong());
        });
        assertThat(first.at("/wallets/acct_globex/level").asText()).isEqualTo("blocked");

        JsonNode second = cli.ok("demo", "--sample", Cli.SAMPLE.toString());
        assertThat(second.get("wallets")).isEqualTo(first.get("wallets"));
        assertThat(second.get("creator_balances_cents")).isEqualTo(first.get("creator_balances_cents"));
        assertThat(second.get("ledger_hash")).isEqualTo(first.get("ledger_hash"));
    }
}
