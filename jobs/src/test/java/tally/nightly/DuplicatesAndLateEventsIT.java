package tally.nightly;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Event;
import tally.testing.Wallet;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events are deduplicated by event_id across files and days, and a late event is rated against
 * what its bot has already been charged for its usage day (RULES.md, Idempotency and caps).
 * gpt-4o costs $2.50 / $10.00 per 1M input / output tokens, so 100k input tokens are 25 cents.
 */
class DuplicatesAndLateEventsIT {

    /** acct_acme's opening balance (25000) plus its deposit dep_acme_1 (5000). */
    static final long ACME_DEPOSITED_CENTS = 30_000;

    @TempDir
    Path home;
    @TempDir
    Path input;
    Cli cli;

    @BeforeEach
    void importSample() {
        cli = new Cli(home);
        cli.importSample();
    }

    @Test
    void anEventDeliveredTwiceInADayAndAgainTheNextDayIsChargedOnce() {
        Event retried = supportBot("evt-retried", "2026-03-02T10:00:00Z"); // 35 cents
        Event.writeParquet(input, "2026-03-02", "a.parquet", retried, Event.apiRequest("evt-api", "2026-03-02T11:00:00Z", "acct_acme"));
        Event.writeParquet(input, "2026-03-02", "b.parquet", retried);
        Event.writeParquet(input, "2026-03-03", "c.parquet", retried, supportBot("evt-next", "2026-03-03T10:00:00Z"));

        assertEvents(cli.nightly("2026-03-02", input), 3, 2, 1);
        assertEvents(cli.nightly("2026-03-03", input), 2, 1, 1);

        assertThat(Wallet.debits(cli, "acct_acme")).containsExactly(
                "2026-03-03 Bot conversations: support-bot -35",
                "2026-03-02 Bot conversations: support-bot -35");
        assertThat(Wallet.balanceCents(cli, "acct_acme")).isEqualTo(ACME_DEPOSITED_CENTS - 70);
    }

    /**
     * A producer delivers a whole file twice: 70,000 events, each dropped once. Enough that the
     * dropped rows stream to the database while the day's id set (more than one chunk of 65,536)
     * is being written, and the next day's copies are found in that set.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES) // the bug it guards against hung
    void aWholeFileDeliveredTwiceIsRatedOnceAndItsCopiesTheNextDayAreDuplicates() throws java.io.IOException {
        int events = 70_000;
        Path first = input.resolve("date=2026-03-02").resolve("a.parquet");
        try (tally.sample.UsageParquetWriter writer = new tally.sample.UsageParquetWriter(first)) {
            java.time.Instant start = java.time.Instant.parse("2026-03-02T00:00:00Z");
            for (int i = 0; i < events; i++) {
                writer.write(new tally.sample.UsageParquetWriter.Row("evt-bulk-" + i, start.plusSeconds(i), "api_request",
                        "acct_acme", "proj-acme", null, null, null, null, null, null, null, null, null, null, null,
                        "success", 1L));
            }
        }
        java.nio.file.Files.copy(first, input.resolve("date=2026-03-02").resolve("b.parquet"));
        java.nio.file.Files.createDirectories(input.resolve("date=2026-03-03"));
        java.nio.file.Files.copy(first, input.resolve("date=2026-03-03").resolve("a.parquet"));

        assertEvents(cli.nightly("2026-03-02", input), 2 * events, events, events);
        assertEvents(cli.nightly("2026-03-03", input), events, 0, events);
    }

    /** docs/rulings.md "Dedup window": the arrival days a copy of an event can have been accepted on. */
    @Test
    void aCopyWithinTheLatenessIsADuplicateAndAnIdReusedMonthsLaterIsANewEvent() {
        Event.writeParquet(input, "2026-03-02", "a.parquet", supportBot("evt-reused", "2026-03-02T10:00:00Z"));
        Event.writeParquet(input, "2026-04-05", "a.parquet", supportBot("evt-reused", "2026-03-02T10:00:00Z")); // 34 days late
        Event.writeParquet(input, "2026-04-20", "a.parquet", supportBot("evt-reused", "2026-04-20T10:00:00Z")); // another event

        assertEvents(cli.nightly("2026-03-02", input), 1, 1, 0);
        assertEvents(cli.nightly("2026-04-05", input), 1, 0, 1);
        assertEvents(cli.nightly("2026-04-20", input), 1, 1, 0);

        assertThat(Wallet.debits(cli, "acct_acme")).containsExactly(
                "2026-04-20 Bot conversations: support-bot -35",
                "2026-03-02 Bot conversations: support-bot -35");
    }

    @Test
    void aLateEventForACappedBotIsChargedOnlyWhatItsDailyCapLeaves() {
        // sales-bot has a daily cap of 50 cents; 45 are used on 2026-03-02.
        Event.writeParquet(input, "2026-03-02", "a.parquet", salesBot("evt-day1", "2026-03-02T09:00:00Z", 100_000, 20_000));
        // Arriving a day later: 10 cents that occurred on 2026-03-02 (5 left under the cap) and 10 cents on 2026-03-03.
        Event.writeParquet(input, "2026-03-03", "a.parquet",
                salesBot("evt-late", "2026-03-02T23:00:00Z", 40_000, 0),
                salesBot("evt-day2", "2026-03-03T09:00:00Z", 40_000, 0));

        cli.nightly("2026-03-02", input);
        JsonNode second = cli.nightly("2026-03-03", input);

        assertThat(second.at("/events/capped").asLong()).isEqualTo(1);
        assertThat(Wallet.debits(cli, "acct_acme")).containsExactlyInAnyOrder(
                "2026-03-03 Bot conversations: sales-bot -10",
                "2026-03-02 Bot conversations: sales-bot -5",
                "2026-03-02 Bot conversations: sales-bot -45");
        assertThat(Wallet.balanceCents(cli, "acct_acme")).isEqualTo(ACME_DEPOSITED_CENTS - 60);
    }

    private static Event supportBot(String id, String at) {
        return Event.bot(id, at, "acct_acme", "bot_support").model("openai", "gpt-4o").tokens(100_000, 10_000);
    }

    private static Event salesBot(String id, String at, long tokensIn, long tokensOut) {
        return Event.bot(id, at, "acct_acme", "bot_sales").model("openai", "gpt-4o").tokens(tokensIn, tokensOut);
    }

    private static void assertEvents(JsonNode summary, long read, long rated, long duplicates) {
        assertThat(summary.get("controls_ok").asBoolean()).as("controls of %s", summary).isTrue();
        assertThat(summary.at("/events/read").asLong()).as("read").isEqualTo(read);
        assertThat(summary.at("/events/rated").asLong()).as("rated").isEqualTo(rated);
        assertThat(summary.at("/events/duplicates").asLong()).as("duplicates").isEqualTo(duplicates);
    }
}
