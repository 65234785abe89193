package tally.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.SampleRun;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class RunReportIT {

    @Test
    void nightlyWritesTheReportAndItShowsTheRunsFigures() throws IOException {
        Path written = SampleRun.home().resolve("runs/nightly/2026-03-04/report.html");
        assertThat(written).as("written by the nightly run").exists();
        String html = Files.readString(written);

        JsonNode run = SampleRun.cli().nightly("2026-03-04", Cli.SAMPLE.resolve("usage")); // the stored run summary
        assertThat(html).contains("<h1>Nightly run 2026-03-04</h1>", "control totals hold")
                .contains(count(run, "/events/read"), count(run, "/events/rated"), count(run, "/events/duplicates"),
                        count(run, "/events/rejected"), count(run, "/events/capped"))
                .contains(dollars(run, "/money/cost_cents"), dollars(run, "/money/charges_computed_cents"),
                        dollars(run, "/money/debits_posted_cents"), dollars(run, "/money/uncollected_cents"),
                        dollars(run, "/money/creator_earnings_cents"))
                .contains("<td>negative_tokens</td><td>1</td>", "<td>unknown_price</td><td>1</td>")
                .contains("<td>charges equal debits plus uncollected</td><td>&#10003; yes</td>");
        assertThat(html).as("self-contained: Chart.js inlined, nothing fetched")
                .contains("Chart.js v4").doesNotContain("<script src", "<link ", "https://cdn");
    }

    private static String count(JsonNode run, String pointer) {
        return ">" + String.format(Locale.ROOT, "%,d", run.at(pointer).asLong()) + "<";
    }

    private static String dollars(JsonNode run, String pointer) {
        long cents = run.at(pointer).asLong();
        return ">$" + String.format(Locale.ROOT, "%,d.%02d", cents / 100, cents % 100) + "<";
    }

    @Test
    void reportCommandRendersAnyRunDate(@TempDir Path dir) {
        Path file = dir.resolve("r.html");
        JsonNode out = SampleRun.cli().ok("report", "--date", "2026-03-02", "--out", file.toString());
        assertThat(out.get("report").asString()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(file).content().contains("Nightly run 2026-03-02", ">1,210<");
        assertThat(SampleRun.cli().run("report", "--date", "2026-04-01").exitCode()).isEqualTo(2);
    }
}
