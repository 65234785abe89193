package tally.nightly;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Golden;
import tally.testing.Sample;
import tally.rating.RatedEvent;
import tally.testing.RatedEvents;
import tally.testing.Sql;
import tally.testing.Wallet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample as a user runs it (import, then nightly for every day), once for this class; the
 * tests only read the result. It must give exactly the committed outputs of sample-data/expected/
 * (see its README for what each file is and how to regenerate them), in the JSON shapes of
 * CONTRACT.md.
 */
class SampleRunIT {

    @TempDir
    static Path home;
    static Cli cli;
    static Map<String, JsonNode> runs;

    @BeforeAll
    static void runTheWholeSample() {
        cli = new Cli(home);
        runs = Sample.runAll(cli);
    }

    @Test
    void givesTheExpectedBalancesTransactionsEarningsRunsAndLedgerHash() {
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

    @Test
    void walletBalanceHasTheContractShape() {
        JsonNode balance = cli.ok("wallet", "balance", "--account", "acct_initech");

        assertThat(balance.propertyNames()).containsExactly("balance_cents", "currency", "auto_reload",
                "lifetime_deposited_cents", "lifetime_spent_cents", "uncollected_cents", "level", "auto_reload_paused");
        assertThat(balance.get("auto_reload").propertyNames()).containsExactly("enabled", "threshold_cents", "amount_cents");
        assertThat(balance.get("balance_cents").isIntegralNumber()).isTrue();
        assertThat(balance.get("currency").asString()).isEqualTo("usd");
        assertThat(balance.get("auto_reload").get("enabled").asBoolean()).isTrue(); // wallets.csv: true, 500, 2500
        assertThat(balance.get("auto_reload").get("threshold_cents").asLong()).isEqualTo(500);
        assertThat(balance.get("auto_reload").get("amount_cents").asLong()).isEqualTo(2500);
        assertThat(balance.get("balance_cents").asLong()).isEqualTo(
                balance.get("lifetime_deposited_cents").asLong() - balance.get("lifetime_spent_cents").asLong());
        assertThat(balance.get("level").asString()).isIn("ok", "yellow", "red", "blocked");
    }

    @Test
    void walletTransactionsHaveTheContractShapeNewestEffectiveDateFirst() {
        long now = Instant.now().getEpochSecond();
        JsonNode all = cli.ok("wallet", "transactions", "--account", "acct_acme", "--limit", "200");

        assertThat(all.propertyNames()).containsExactly("transactions", "total", "limit", "offset");
        assertThat(all.get("limit").asLong()).isEqualTo(200);
        assertThat(all.get("offset").asLong()).isEqualTo(0);
        List<JsonNode> transactions = new ArrayList<>(all.get("transactions").values());
        assertThat(transactions).hasSize(all.get("total").asInt()).hasSizeGreaterThan(10);
        List<String> dates = new ArrayList<>();
        for (JsonNode t : transactions) {
            assertThat(t.propertyNames()).containsExactly("id", "type", "amount_cents", "description", "effective_date", "created_at");
            assertThat(t.get("type").asString()).isIn("deposit", "debit", "refund", "earning", "payout");
            long amount = t.get("amount_cents").asLong();
            assertThat(t.get("type").asString().equals("debit") ? -amount : amount).as("sign of %s", t).isNotNegative();
            assertThat(t.get("effective_date").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(t.get("created_at").isIntegralNumber()).isTrue();
            assertThat(t.get("created_at").asLong()).as("epoch seconds").isBetween(now - 3600, now + 60);
            dates.add(t.get("effective_date").asString());
        }
        assertThat(dates).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(dates.get(0)).isEqualTo("2026-03-04");
        assertThat(dates.get(dates.size() - 1)).isEqualTo("2026-03-01"); // the opening balance

        JsonNode page = cli.ok("wallet", "transactions", "--account", "acct_acme", "--limit", "5", "--offset", "5");
        assertThat(page.get("total").asLong()).isEqualTo(transactions.size());
        assertThat(page.get("transactions").values()).extracting(t -> t.get("id").asString())
                .containsExactlyElementsOf(transactions.subList(5, 10).stream().map(t -> t.get("id").asString()).toList());
    }

    @Test
    void earningsHaveTheContractShape() {
        JsonNode earnings = cli.ok("earnings", "--account", "acct_pied");

        assertThat(earnings.propertyNames()).containsExactly("balance_cents", "lifetime_earned_cents",
                "lifetime_paid_out_cents", "pending_payout_cents");
        assertThat(earnings.get("lifetime_earned_cents").asLong()).isPositive();
        assertThat(earnings.get("balance_cents").asLong()).isEqualTo(
                earnings.get("lifetime_earned_cents").asLong() - earnings.get("lifetime_paid_out_cents").asLong());
    }

    @Test
    void duplicatesWithinAndAcrossDaysAreCountedAndRatedOnce() throws SQLException {
        // The generator re-delivers 8 events of each day in a second file, and from the second day on
        // also resends 6 event ids of the day before.
        assertThat(runs.values()).extracting(r -> r.at("/events/duplicates").asLong()).containsExactly(8L, 14L, 14L);

        long rated = runs.values().stream().mapToLong(r -> r.at("/events/rated").asLong()).sum();
        long rejected = runs.values().stream().mapToLong(r -> r.at("/events/rejected").asLong()).sum();
        assertThat(rated + rejected).as("rated + rejected = distinct event ids in the sample's files")
                .isEqualTo(distinctEventIdsInSampleFiles());
        assertThat(RatedEvents.all(cli)).hasSize((int) rated);
    }

    @Test
    void aLateEventIsChargedOnlyWhatItsDaysCapLeavesByTheRunThatSeesIt() {
        // evt-20260304-xlate occurred 2026-03-02 23:30 for sales-bot (daily cap 50 cents), costs 33 cents
        // (60,000 + 10,000 Sonnet tokens) and arrived on 2026-03-04, when that day had less than that left
        // (in this sample nothing: the day's own messages used the whole cap, so the late event is charged 0).
        List<RatedEvent> rated = RatedEvents.all(cli);
        assertThat(rated).filteredOn(e -> e.eventId().equals("evt-20260304-xlate")).singleElement().satisfies(late -> {
            assertThat(late.costUcents()).isEqualTo(33_000_000);
            assertThat(late.capped()).isTrue();
        });
        assertThat(rated.stream().filter(e -> "bot_sales".equals(e.resourceId()) && e.usageDate().toString().equals("2026-03-02"))
                .mapToLong(RatedEvent::chargeUcents).sum())
                .as("sales-bot's charges for 2026-03-02 fill its daily cap exactly").isEqualTo(50_000_000);
        List<String> salesBotDebits = Wallet.debits(cli, "acct_acme").stream()
                .filter(d -> d.startsWith("2026-03-02 Bot conversations: sales-bot")).toList();
        assertThat(salesBotDebits).as("the wallet sees the day's debits, late ones included, at the cap").isNotEmpty();
        assertThat(salesBotDebits.stream().mapToLong(d -> -Long.parseLong(d.substring(d.lastIndexOf(' ') + 1))).sum())
                .isEqualTo(50);
    }

    /** Counted by DuckDB straight from the Parquet files, independently of Tally's reader. */
    private static long distinctEventIdsInSampleFiles() throws SQLException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("select count(distinct event_id) from read_parquet('"
                     + Sample.USAGE.resolve("*/*.parquet") + "')")) {
            rs.next();
            return rs.getLong(1);
        }
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
