package tally.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** evt-20260304-xlate arrives 2026-03-04, occurred 2026-03-02 (bot_sales): it updates 2026-03-02's rollup. */
class LateEventIT {

    @Test
    void lateEventUpdatesItsOwnDay(@TempDir Path home) {
        Cli cli = new Cli(home);
        cli.importSample();
        Path usage = Cli.SAMPLE.resolve("usage");
        cli.nightly("2026-03-02", usage);
        cli.nightly("2026-03-03", usage);
        JsonNode before = salesBot(cli);

        cli.nightly("2026-03-04", usage);
        JsonNode after = salesBot(cli);

        JsonNode day2Before = before.at("/daily/0");
        JsonNode day2After = after.at("/daily/0");
        assertThat(day2After.get("date").asString()).isEqualTo("2026-03-02");
        // claude-sonnet-4-6, 60,000 + 10,000 tokens: 33 cents of cost; the day's 50-cent cap is already used, so
        // analytics show the cost (capped-off amounts included) and no further charge.
        assertThat(day2After.get("messages_received").asLong()).isEqualTo(day2Before.get("messages_received").asLong() + 1);
        assertThat(day2After.get("total_cost_cents").asLong()).isEqualTo(day2Before.get("total_cost_cents").asLong() + 33);
        assertThat(day2After.get("total_charged_cents").asLong()).isEqualTo(day2Before.get("total_charged_cents").asLong());
        assertThat(day2After.get("total_charged_cents").asLong()).isEqualTo(50);
        assertThat(after.at("/daily/1")).as("2026-03-03 is untouched").isEqualTo(before.at("/daily/1"));
        assertThat(after.at("/daily/2/date").asString()).isEqualTo("2026-03-04");
    }

    private static JsonNode salesBot(Cli cli) {
        return cli.ok("analytics", "bot", "--bot", "bot_sales", "--from", "2026-03-01", "--to", "2026-03-31");
    }
}
