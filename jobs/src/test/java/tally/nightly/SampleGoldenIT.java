package tally.nightly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Golden;
import tally.testing.Sample;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole sample (import, then nightly for every day) gives exactly the committed outputs of
 * sample-data/expected/ (see its README for what each file is and how to regenerate them).
 */
class SampleGoldenIT {

    @Test
    void wholeSampleGivesTheExpectedBalancesTransactionsEarningsRunsAndLedgerHash(@TempDir Path home) {
        Cli cli = new Cli(home);
        Map<String, JsonNode> runs = Sample.runAll(cli);
        Golden golden = new Golden(Sample.EXPECTED);

        Map<String, JsonNode> summaries = new LinkedHashMap<>();
        runs.forEach((day, summary) -> summaries.put(day, withoutWallClock(summary)));
        golden.json("runs.json", summaries);

        Map<String, JsonNode> wallets = new LinkedHashMap<>();
        for (String account : Sample.accounts()) {
            wallets.put(account, cli.ok("wallet", "balance", "--account", account));
            JsonNode history = cli.ok("wallet", "transactions", "--account", account, "--limit", "200");
            history.get("transactions").forEach(t -> ((ObjectNode) t).remove("created_at"));
            golden.json("transactions/" + account + ".json", history);
        }
        golden.json("wallets.json", wallets);

        Map<String, JsonNode> earnings = new LinkedHashMap<>();
        for (String creator : Sample.creators()) {
            earnings.put(creator, cli.ok("earnings", "--account", creator));
        }
        golden.json("earnings.json", earnings);

        golden.text("ledger-hash.txt", cli.ok("ledger", "verify").get("hash").asString() + "\n");
        golden.verify();
    }

    /** A run summary without what depends on the machine or the clock (timings, output paths). */
    private static JsonNode withoutWallClock(JsonNode summary) {
        ObjectNode copy = ((ObjectNode) summary).deepCopy();
        copy.remove("wall_time_ms");
        copy.remove("events_per_second");
        copy.remove("outputs");
        return copy;
    }
}
