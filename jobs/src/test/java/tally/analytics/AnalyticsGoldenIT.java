package tally.analytics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tally.cli.Json;
import tally.testing.Cli;
import tally.testing.SampleRun;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally analytics bot|agent} for every sample bot and endpoint over March 2026 equals the
 * golden files of sample-data/expected/analytics/. On a difference the actual answer is written to
 * target/golden-actual/ for a diff.
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
    void analyticsEqualsGolden(String kind, String option, String id) throws IOException {
        JsonNode actual = SampleRun.cli().ok("analytics", kind, option, id, "--from", "2026-03-01", "--to", "2026-03-31");
        String file = kind + "-" + id + ".json";
        JsonNode expected = Json.mapper().readTree(Files.readString(GOLDEN.resolve(file)));
        if (!actual.equals(expected)) {
            Path out = Path.of("target/golden-actual").resolve(file);
            Files.createDirectories(out.getParent());
            Files.writeString(out, Json.pretty(actual) + "\n");
        }
        assertThat(actual).as("%s (actual written to target/golden-actual/%s)", file, file).isEqualTo(expected);
    }
}
