package tally;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeIT {

    @Test
    void sampleDayRatesAndPostsWithControlTotalsHolding(@TempDir Path home) {
        Cli cli = new Cli(home);
        cli.importSample();
        JsonNode summary = cli.nightly("2026-03-02", Cli.SAMPLE.resolve("usage"));
        assertThat(summary.get("controls_ok").asBoolean()).isTrue();
        assertThat(summary.at("/events/read").asLong()).isEqualTo(1210);
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }
}
