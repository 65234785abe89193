package tally.partition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Event;
import tally.testing.Sample;
import tally.testing.RatedEvents;
import tally.testing.Sql;
import tally.usage.Buckets;
import tally.testing.Wallet;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rating and posting run per account partition; the partition count must not change any result a
 * user can see: the ledger (verify hash), balances, analytics and rated events.
 */
class PartitionCountIT {

    @TempDir
    Path tmp;

    /** The sample days run with this many partitions in this JVM. */
    private Map<String, String> sampleOutcome(int partitions) throws IOException {
        Path home = tmp.resolve("p" + partitions);
        Cli cli = new Cli(home);
        cli.importSample();
        for (String day : Sample.days()) {
            cli.ok("nightly", "--date", day, "--input", Sample.USAGE.toString(), "--partitions", String.valueOf(partitions));
        }
        return outcome(cli);
    }

    /** What the runs so far left that a user can look at, as text: ledger hash, balances, analytics, rated events. */
    static Map<String, String> outcome(Cli cli) throws IOException {
        Path home = cli.home();
        Map<String, String> outcome = new LinkedHashMap<>();
        outcome.put("ledger hash", cli.ok("ledger", "verify").get("hash").asString());
        for (String account : Sample.accounts()) {
            outcome.put("balance " + account, String.valueOf(Wallet.balanceCents(cli, account)));
        }
        String first = Sample.days().get(0);
        String last = Sample.days().get(Sample.days().size() - 1);
        Path analytics = home.resolve("analytics");
        cli.ok("export", "analytics", "--from", first, "--to", last, "--format", "csv", "--out", analytics.toString());
        try (Stream<Path> files = Files.list(analytics)) {
            for (Path file : files.sorted().toList()) {
                outcome.put("analytics " + file.getFileName(), Files.readString(file));
            }
        }
        Path rated = home.resolve("rated.csv");
        cli.ok("export", "rated", "--from", "2026-01-01", "--to", last, "--format", "csv", "--out", rated.toString());
        outcome.put("rated events", Files.readString(rated));
        return outcome;
    }

    @Test
    void theSampleGivesTheSameLedgerAnalyticsAndRatedEventsWithOneTwoAndThreePartitions() throws IOException {
        Map<String, String> one = sampleOutcome(1);
        assertThat(one.get("rated events").lines().count()).isGreaterThan(1000);
        assertThat(sampleOutcome(2)).isEqualTo(one);
        assertThat(sampleOutcome(3)).isEqualTo(one);
    }

    @Test
    void stagingWithATinyBatchBufferGivesTheSameLedgerAnalyticsAndRatedEvents() throws IOException {
        Map<String, String> usual = sampleOutcome(2);
        // A budget of a few rows: staging writes its buckets' larger batches out early, all the time.
        System.setProperty("tally.stage.max-buffered-bytes", "1024");
        try {
            tmp = tmp.resolve("tiny-buffer");
            assertThat(sampleOutcome(2)).isEqualTo(usual);
        } finally {
            System.clearProperty("tally.stage.max-buffered-bytes");
        }
    }

    @Test
    void anEventIdStagedUnderTwoAccountsIsRatedOnceForItsFirstSightingWhateverThePartitionCount() {
        // Same event_id, first under acct_acme (file a), then under acct_globex (file b): only acme's is rated.
        Path input = tmp.resolve("input");
        Event.writeParquet(input, "2026-03-02", "a.parquet", Event.bot("evt-shared", "2026-03-02T10:00:00Z", "acct_acme",
                "bot_support").model("openai", "gpt-4o").tokens(100_000, 10_000));
        Event.writeParquet(input, "2026-03-02", "b.parquet", Event.apiRequest("evt-shared", "2026-03-02T10:00:00Z", "acct_globex"));

        List<Integer> counts = List.of(1, 2, 3);
        boolean splitSomewhere = false;
        for (int partitions : counts) {
            Cli cli = new Cli(tmp.resolve("home" + partitions));
            cli.importSample();
            long acmeBefore = Wallet.balanceCents(cli, "acct_acme");
            JsonNode summary = cli.ok("nightly", "--date", "2026-03-02", "--input", input.toString(),
                    "--partitions", String.valueOf(partitions));
            assertThat(summary.at("/events/rated").asLong()).as("rated, %d partitions", partitions).isEqualTo(1);
            assertThat(summary.at("/events/duplicates").asLong()).as("duplicates, %d partitions", partitions).isEqualTo(1);
            assertThat(Wallet.balanceCents(cli, "acct_acme")).isEqualTo(acmeBefore - 35);
            assertThat(RatedEvents.all(cli)).filteredOn(e -> e.eventId().equals("evt-shared"))
                    .extracting(tally.rating.RatedEvent::accountId).containsExactly("acct_acme");
            Buckets buckets = new Buckets(Math.toIntExact(Sql.number(cli, "select buckets from stage_day where arrival_date = '2026-03-02'")));
            int p = partitions;
            splitSomewhere |= java.util.stream.IntStream.range(0, p).filter(i -> Buckets.inPartition(buckets.of("acct_acme"), i, p)).findFirst()
                    .getAsInt() != java.util.stream.IntStream.range(0, p).filter(i -> Buckets.inPartition(buckets.of("acct_globex"), i, p)).findFirst().getAsInt();
        }
        assertThat(splitSomewhere).as("the two accounts fall in different partitions for one of the counts").isTrue();
    }
}
