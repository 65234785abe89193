package tally.nightly;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tally.testing.Cli;
import tally.testing.Event;
import tally.testing.LedgerState;
import tally.testing.Sql;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RULES.md, Bad input: nothing bad is charged and nothing good is lost. A bad file, too many bad
 * rows or a bad reference row stops the command with exit 2 and a message naming the file, row or
 * option, and nothing of it is posted.
 */
class BadInputIT {

    static final String DAY = "2026-03-02";

    @TempDir
    Path home;
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void importSample() {
        cli = new Cli(home);
        cli.importSample();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage bytes", "truncated Parquet"})
    void anUnreadableFileFailsTheRunNamingItAndNothingIsPosted(String damage) throws IOException {
        Path input = tmp.resolve("input");
        Path good = Event.writeParquet(input, DAY, "a.parquet", chargedEvents(10));
        Path bad = good.resolveSibling("x.parquet");
        byte[] parquet = Files.readAllBytes(good);
        Files.write(bad, damage.equals("garbage bytes") ? "not a parquet file\n".repeat(100).getBytes()
                : Arrays.copyOf(parquet, parquet.length / 2));
        LedgerState before = LedgerState.of(cli);

        Cli.Result result = nightly(input);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains(bad.toString());
        assertNothingPostedSince(before);

        Files.delete(bad); // once the file is fixed, the same command finishes the day
        assertThat(cli.nightly(DAY, input).get("postings_made").asLong()).isPositive();
    }

    @Test
    void rejectsOverTheLimitFailTheRunAndUnderAHigherLimitTheyGoToRejectsCsv() throws IOException {
        Path input = tmp.resolve("input");
        Event.writeParquet(input, DAY, "a.parquet", chargedEvents(99));
        Event.writeParquet(input, DAY, "b.parquet",
                Event.bot("evt-negative", DAY + "T10:00:00Z", "acct_acme", "bot_support").model("openai", "gpt-4o").tokens(-5, 10),
                Event.apiRequest("evt-kind", DAY + "T10:00:00Z", "acct_acme").kind("telepathy"));
        LedgerState before = LedgerState.of(cli);

        Cli.Result overLimit = nightly(input); // 2 of 101 rows = 1.98%, over the default 1%

        assertThat(overLimit.exitCode()).as(overLimit.toString()).isEqualTo(2);
        assertThat(overLimit.err()).contains("2 of 101 rows of " + input.resolve("date=" + DAY), "--max-reject-rate",
                "date=" + DAY + "/b.parquet row 1: negative_tokens", "date=" + DAY + "/b.parquet row 2: unknown_kind");
        assertNothingPostedSince(before);

        JsonNode summary = cli.ok("nightly", "--date", DAY, "--input", input.toString(), "--max-reject-rate", "0.02");

        assertThat(summary.at("/events/rated").asLong()).isEqualTo(99);
        assertThat(summary.at("/events/rejected").asLong()).isEqualTo(2);
        assertThat(summary.get("postings_made").asLong()).isPositive();
        assertThat(rejectsCsv(home.resolve("runs/nightly/" + DAY + "/rejects.csv"))).containsExactly(
                "date=" + DAY + "/b.parquet,1,evt-negative,negative_tokens",
                "date=" + DAY + "/b.parquet,2,evt-kind,unknown_kind");
    }

    @ParameterizedTest(name = "{0} cents")
    @ValueSource(longs = {499, 50_001})
    void aDepositOutside500To50000CentsFailsTheImportNamingFileAndLineAndNothingIsWritten(long cents) throws IOException {
        Path reference = copyOfSampleReference();
        // A new account with an opening balance and a good deposit, then the bad deposit on line 6.
        append(reference.resolve("accounts.csv"), "acct_new,aerostack,pro,monthly,2026-03-01,false,false,false,false,false");
        append(reference.resolve("wallets.csv"), "acct_new,700,false,,,cus_new,pm_new");
        append(reference.resolve("deposits.csv"), "dep_new_1,acct_new,1000,2026-03-02T08:00:00Z,cs_new_1");
        append(reference.resolve("deposits.csv"), "dep_bad,acct_acme," + cents + ",2026-03-02T09:00:00Z,cs_bad");
        LedgerState before = LedgerState.of(cli);

        Cli.Result result = cli.run("import", "reference", "--dir", reference.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains(reference.resolve("deposits.csv") + " line 6", String.valueOf(cents));
        assertThat(LedgerState.of(cli)).isEqualTo(before);
        assertThat(cli.run("wallet", "balance", "--account", "acct_new").exitCode()).as("acct_new was not imported").isEqualTo(2);
    }

    @Test
    void depositsOfExactly500And50000CentsAreAccepted() throws IOException {
        Path reference = copyOfSampleReference();
        append(reference.resolve("deposits.csv"), "dep_min,acct_hooli,500,2026-03-02T08:00:00Z,cs_min");
        append(reference.resolve("deposits.csv"), "dep_max,acct_hooli,50000,2026-03-02T09:00:00Z,cs_max");

        cli.ok("import", "reference", "--dir", reference.toString());

        assertThat(cli.ok("wallet", "balance", "--account", "acct_hooli").get("balance_cents").asLong())
                .isEqualTo(5_000 + 500 + 50_000);
    }

    @Test
    void aMissingPartitionIsBadInputNamingIt() {
        Cli.Result result = cli.run("nightly", "--date", "2026-03-09", "--input", tmp.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains(tmp.resolve("date=2026-03-09").toString());
    }

    @Test
    void anUnknownAccountIsBadInputNamingIt() {
        for (String command : List.of("wallet balance", "wallet transactions", "earnings")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--account", "acct_nobody"));

            Cli.Result result = cli.run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).contains("acct_nobody");
            assertThat(result.out()).isEmpty();
        }
    }

    private Cli.Result nightly(Path input) {
        return cli.run("nightly", "--date", DAY, "--input", input.toString());
    }

    private void assertNothingPostedSince(LedgerState before) {
        assertThat(LedgerState.of(cli)).isEqualTo(before);
        assertThat(Sql.number(cli, "select count(*) from ledger_txn where run_id = ?", "nightly:" + DAY)).isZero();
    }

    /** Messages of support-bot (no caps; 35 cents each) and API requests of acct_acme, alternating. */
    private static List<Event> chargedEvents(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt-%03d".formatted(i);
            String at = "%sT%02d:%02d:00Z".formatted(DAY, i % 24, i % 60);
            events.add(i % 2 == 0
                    ? Event.bot(id, at, "acct_acme", "bot_support").model("openai", "gpt-4o").tokens(100_000, 10_000)
                    : Event.apiRequest(id, at, "acct_acme"));
        }
        return events;
    }

    private Path copyOfSampleReference() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("reference"));
        try (var files = Files.list(Cli.SAMPLE.resolve("reference"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static void append(Path csv, String line) throws IOException {
        String text = Files.readString(csv);
        Files.writeString(csv, (text.endsWith("\n") ? text : text + "\n") + line + "\n");
    }

    /** source_file,source_row,event_id,reason of each reject. */
    private static List<String> rejectsCsv(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file);
             CSVParser csv = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return csv.stream().map((CSVRecord r) -> String.join(",", r.get("source_file"), r.get("source_row"),
                    r.get("event_id"), r.get("reason"))).toList();
        }
    }
}
