package tally.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.SampleRun;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunReportIT {

    @Test
    void nightlyWritesTheReportAndItShowsTheRunsFigures() throws IOException {
        Path written = SampleRun.home().resolve("runs/nightly/2026-03-04/report.html");
        assertThat(written).as("written by the nightly run").exists();
        String html = Files.readString(written);

        assertThat(html).contains("<h1>Nightly run 2026-03-04</h1>", "control totals hold")
                // events read / rated / duplicates / rejected / capped
                .contains(">1,217<", ">1,201<", ">14<", ">2<", ">36<")
                // cost, charges computed, debits posted, uncollected, creator earnings of the run
                .contains(">$8.68<", ">$11.22<", ">$11.10<", ">$0.12<", ">$2.59<")
                // rejects by reason, uncollected by wallet (acct_globex's tool calls), top bot and endpoint
                .contains("<td>negative_tokens</td><td>1</td>", "<td>unknown_price</td><td>1</td>")
                .contains("<td>acct_globex</td><td>$0.12</td>")
                .contains("quota-bot <code>bot_quota</code></td><td>$1.80</td>")
                .contains("code-reviewer <code>aep_reviewer</code></td><td>$2.04</td>")
                .contains("<td>2026-03-02</td><td>$4.98</td><td>$13.78</td>")
                .contains("<td>charges equal debits plus uncollected</td><td>&#10003; yes</td>");
        assertThat(html).as("self-contained: Chart.js inlined, nothing fetched")
                .contains("Chart.js v4").doesNotContain("<script src", "<link ", "https://cdn");
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
