package tally.nightly;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tally.TallyApplication;
import tally.infra.FaultInjection;
import tally.testing.Cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the nightly run of the sample's middle day at many points (a JVM halt, as kill -9: mid-read
 * of an input file; inside a bucket's transaction before it commits, in the first and in later
 * buckets (the middle day writes 31 debits over its buckets); inside the creator earnings (writes
 * 32 to 34); or after a step committed its work but before Spring Batch recorded it), runs the
 * same command again, finishes the sample, and requires the ledger to be exactly that of an
 * uninterrupted run (same {@code ledger verify} hash) every time.
 */
class CrashSafetyIT {

    static final List<String> DAYS = List.of("2026-03-02", "2026-03-03", "2026-03-04");
    static final String CRASH_DAY = "2026-03-03";

    @TempDir
    static Path shared;

    static String cleanHash;

    @BeforeAll
    static void uninterruptedRun() {
        Cli cli = new Cli(shared.resolve("clean"));
        cli.importSample();
        DAYS.forEach(day -> cli.nightly(day, Cli.SAMPLE.resolve("usage")));
        cleanHash = cli.ok("ledger", "verify").get("hash").asText();
    }

    @ParameterizedTest(name = "halt at {0}")
    @ValueSource(strings = {"read-row:700", "ledger-write:1", "ledger-write:9", "ledger-write:27", "ledger-write:33",
            "step-end:1", "step-end:2", "step-end:3", "step-end:4"})
    void restartAfterAKillEndsInTheUninterruptedState(String haltPoint, @TempDir Path home) throws Exception {
        Cli cli = new Cli(home);
        cli.importSample();
        cli.nightly(DAYS.get(0), Cli.SAMPLE.resolve("usage"));

        int exit = nightlyInSeparateJvm(cli, CRASH_DAY, haltPoint);
        assertThat(exit).as("the run was killed at " + haltPoint).isEqualTo(FaultInjection.HALT_STATUS);

        assertThat(cli.nightly(CRASH_DAY, Cli.SAMPLE.resolve("usage")).get("controls_ok").asBoolean()).isTrue();
        cli.nightly(DAYS.get(2), Cli.SAMPLE.resolve("usage"));
        assertThat(cli.ok("ledger", "verify").get("hash").asText()).isEqualTo(cleanHash);
    }

    private static int nightlyInSeparateJvm(Cli cli, String day, String haltPoint) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + FaultInjection.PROPERTY + "=" + haltPoint, "-Duser.timezone=UTC",
                "-Dtally.stage.accounts-per-bucket=" + System.getProperty("tally.stage.accounts-per-bucket", "100"),
                "-cp", System.getProperty("java.class.path"), TallyApplication.class.getName(),
                "nightly", "--date", day, "--input", Cli.SAMPLE.resolve("usage").toString(),
                "--db", cli.dbUrl(), "--home", cli.home().toString(), "--rules", Cli.RULES.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(cli.home().resolve("crashed-run.log").toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the crashing run did not end: see " + cli.home().resolve("crashed-run.log"));
        }
        return process.exitValue();
    }

}
