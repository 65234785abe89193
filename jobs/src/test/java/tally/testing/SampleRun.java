package tally.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample pipeline (reference data, the three sample days through nightly, March closed) run once
 * per test JVM, for tests that only read its results: analytics goldens, exports, the run report.
 */
public final class SampleRun {

    public static final List<String> DAYS = List.of("2026-03-02", "2026-03-03", "2026-03-04");

    private static Cli cli;

    private SampleRun() {
    }

    /** A CLI on the database holding the whole sample; callers must not change it. */
    public static synchronized Cli cli() {
        if (cli == null) {
            try {
                Cli fresh = new Cli(Files.createTempDirectory("tally-sample-run"));
                fresh.importSample();
                DAYS.forEach(day -> fresh.nightly(day, Cli.SAMPLE.resolve("usage")));
                fresh.ok("close-month", "--month", "2026-03");
                cli = fresh;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cli;
    }

    public static Path home() {
        return cli().home();
    }
}
