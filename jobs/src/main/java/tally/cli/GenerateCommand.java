package tally.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tally.infra.BadInputException;
import tally.sample.UsageGenerator;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write realistic usage Parquet files (date=YYYY-MM-DD partitions) for testing and benchmarks. "
                + "With --reference DIR it uses those reference CSVs; otherwise it synthesizes --accounts/--bots "
                + "reference CSVs into <out>/reference first.")
class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (usage/ and maybe reference/).")
    Path out;

    @Option(names = "--reference", paramLabel = "DIR", description = "Existing reference CSVs to generate usage for.")
    Path reference;

    @Option(names = "--events", defaultValue = "10000", description = "Events per day (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--from", defaultValue = "2026-03-02", description = "First arrival day (default: ${DEFAULT-VALUE}).")
    LocalDate from;

    @Option(names = "--days", defaultValue = "1", description = "Number of days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--files-per-day", defaultValue = "1", description = "(default: ${DEFAULT-VALUE}).")
    int filesPerDay;

    @Option(names = "--accounts", defaultValue = "10000", description = "Synthesized accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--bots", defaultValue = "50000", description = "Synthesized bots (default: ${DEFAULT-VALUE}).")
    int bots;

    @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--edge-cases", description = "Add duplicates, a late event for a capped bot and a few bad rows.")
    boolean edgeCases;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (events < 0 || days < 1 || filesPerDay < 1 || accounts < 1 || bots < 1) {
            throw new BadInputException("--events, --days, --files-per-day, --accounts and --bots must be positive");
        }
        UsageGenerator.Options options = new UsageGenerator.Options(out.resolve("usage"), from, days, events, filesPerDay,
                seed, edgeCases);
        long start = System.nanoTime();
        long written = reference != null ? UsageGenerator.generate(reference, options)
                : UsageGenerator.generateWithReference(out.resolve("reference"), accounts, bots, options);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events_written", written);
        result.put("usage", out.resolve("usage").toString());
        result.put("reference", reference != null ? reference.toString() : out.resolve("reference").toString());
        result.put("wall_time_ms", (System.nanoTime() - start) / 1_000_000L);
        spec.commandLine().getOut().println(Json.pretty(result));
        return 0;
    }
}
