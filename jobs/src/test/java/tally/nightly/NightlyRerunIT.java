package tally.nightly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.LedgerState;
import tally.testing.Sample;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RULES.md, Idempotency: any job run twice for the same input and period changes nothing the second time. */
class NightlyRerunIT {

    @Test
    void runningEverySampleDayAgainChangesNothing(@TempDir Path home) {
        Cli cli = new Cli(home);
        Map<String, JsonNode> first = Sample.runAll(cli);
        LedgerState before = LedgerState.of(cli);
        assertThat(before.transactionCounts()).isNotEmpty();

        cli.importSample();
        for (String day : Sample.days()) {
            JsonNode again = cli.nightly(day, Sample.USAGE);
            assertThat(again.get("status").asString()).as(day).isEqualTo("ALREADY_COMPLETE");
            assertThat(again.get("events")).as("events of %s", day).isEqualTo(first.get(day).get("events"));
            assertThat(again.get("money")).as("money of %s", day).isEqualTo(first.get(day).get("money"));
        }

        assertThat(LedgerState.of(cli)).isEqualTo(before);
    }
}
