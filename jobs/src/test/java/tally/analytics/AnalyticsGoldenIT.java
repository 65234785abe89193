package tally.analytics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tally.testing.Cli;
import tally.testing.Golden;
import tally.testing.SampleRun;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.stream.Stream;


/**
 * {@code tally analytics bot|agent} for every sample bot and endpoint over March 2026 equals the
 * golden files of sample-data/expected/analytics/ (see {@link Golden} for diffs and regeneration).
 */
class AnalyticsGoldenIT {

    static final Path GOLDEN = Cli.SAMPLE.resolve("expected/analytics");

    static Stream<Arguments> resources() {
        return Stream.concat(
                Stream.of("bot_support", "bot_sales", "bot_globex", "bot_byok", "bot_quota", "bot_convo", "bot_lifetime",
                        "bot_workers").map(b -> Arguments.of("bot", "--bot", b)),
                Stream.of("aep_invoice", "aep_public", "aep_reviewer").map(e -> Arguments.of("agent", "--endpoint", e)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("resources")
    void analyticsEqualsGolden(String kind, String option, String id) {
        JsonNode actual = SampleRun.cli().ok("analytics", kind, option, id, "--from", "2026-03-01", "--to", "2026-03-31");
        Golden golden = new Golden(GOLDEN);
        golden.json(kind + "-" + id + ".json", actual);
        golden.verify();
    }
}
