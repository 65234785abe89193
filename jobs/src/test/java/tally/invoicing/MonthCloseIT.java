package tally.invoicing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.UsageParquetWriter;
import tally.testing.Cli;
import tally.testing.Golden;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Month close over sample-data: every invoice equals its golden file to the cent; closing twice
 * changes nothing; issued invoices refuse edits; a late event lands on the next invoice.
 * Run with {@code -Dgolden.update=true} to rewrite the golden files (then review the diff).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonthCloseIT {

    static final Path GOLDEN = Cli.SAMPLE.resolve("expected").resolve("invoices");

    Cli cli;
    JsonNode firstClose;

    @BeforeAll
    void closeMarchOverTheSample(@TempDir Path home) {
        cli = new Cli(home);
        cli.importSample();
        for (String day : List.of("2026-03-02", "2026-03-03", "2026-03-04")) {
            cli.nightly(day, Cli.SAMPLE.resolve("usage"));
        }
        firstClose = cli.ok("close-month", "--month", "2026-03");
    }

    @Test
    void everyInvoiceEqualsItsGoldenFile() throws IOException {
        assertThat(firstClose.get("controls_ok").asBoolean()).isTrue();
        List<String> accounts = firstClose.get("by_account").valueStream().map(a -> a.get("account_id").asString()).toList();
        assertThat(accounts).hasSize(16);
        Golden golden = new Golden(GOLDEN);
        for (String account : accounts) {
            golden.text(account + "-2026-03.json", invoiceText(account, "2026-03"));
        }
        golden.verify();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.count()).as("one golden invoice per account").isEqualTo(accounts.size());
        }
    }

    @Test
    void closingTwiceChangesNothing() {
        List<String> before = firstClose.get("by_account").valueStream()
                .map(a -> invoiceText(a.get("account_id").asString(), "2026-03")).toList();
        JsonNode again = cli.ok("close-month", "--month", "2026-03");
        assertThat(again.get("status").asString()).isEqualTo("ALREADY_COMPLETE");
        assertThat(again.get("by_account")).isEqualTo(firstClose.get("by_account"));
        assertThat(again.get("by_account").valueStream().map(a -> invoiceText(a.get("account_id").asString(), "2026-03")))
                .containsExactlyElementsOf(before);
    }

    @Test
    void issuedInvoicesRefuseEdits() throws SQLException {
        try (Connection c = DriverManager.getConnection(cli.dbUrl()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("update invoice set total_cents = 0 where invoice_id = 'inv:acct_acme:2026-03'"))
                    .hasMessageContaining("immutable");
            assertThatThrownBy(() -> s.executeUpdate("delete from invoice_line"))
                    .hasMessageContaining("immutable");
            assertThatThrownBy(() -> s.executeUpdate("""
                    insert into invoice_line (invoice_id, line_no, line_id, type, description, quantity, amount_cents)
                    values ('inv:acct_acme:2026-03', 99, 'x', 'plan_fee', 'sneaked in', 1, 100)"""))
                    .hasMessageContaining("is not whole");
        }
    }

    @Test
    void aLateEventAfterCloseLandsOnTheNextInvoice(@TempDir Path input) {
        try (UsageParquetWriter writer = new UsageParquetWriter(input.resolve("date=2026-04-02").resolve("late.parquet"))) {
            writer.write(new UsageParquetWriter.Row("late-after-close-1", Instant.parse("2026-03-30T10:00:00Z"), "api_request",
                    "acct_agent_over", "proj-1", null, null, null, null, null, null, null, null, null, null, null,
                    "success", 1_000L));
        }
        String march = invoiceText("acct_agent_over", "2026-03");
        cli.nightly("2026-04-02", input);
        cli.ok("close-month", "--month", "2026-04");

        assertThat(invoiceText("acct_agent_over", "2026-03")).isEqualTo(march);
        JsonNode april = cli.ok("invoice", "--account", "acct_agent_over", "--month", "2026-04");
        JsonNode late = april.get("lines").valueStream().filter(l -> l.get("type").asString().equals("late_adjustment"))
                .findFirst().orElseThrow();
        // March overage was 112,345 calls -> $56.1725 -> 5617 cents; now 113,345 -> $56.6725 -> 5667 cents.
        assertThat(late.get("line_id").asString()).isEqualTo("inv:acct_agent_over:2026-04/late:2026-03:api_calls");
        assertThat(late.get("quantity").asLong()).isEqualTo(1_000);
        assertThat(late.get("amount_cents").asLong()).isEqualTo(50);
        assertThat(late.get("service_month").asString()).isEqualTo("2026-03");
        // The late event counts in March's usage, not April's.
        assertThat(april.at("/usage/api_calls/used").asLong()).isZero();
    }

    @Test
    void invoiceRendersAsAnHtmlPage(@TempDir Path out) throws IOException {
        Path page = out.resolve("invoice.html");
        cli.ok("invoice", "--account", "acct_agent_over", "--month", "2026-03", "--format", "html", "--out", page.toString());
        String html = Files.readString(page);
        assertThat(html).contains("inv:acct_agent_over:2026-03", "AgentStack PRO", "2026-03-01 to 2026-03-31",
                "$278.08", "API calls overage");
    }

    private String invoiceText(String account, String month) {
        Cli.Result result = cli.run("invoice", "--account", account, "--month", month);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out();
    }
}
