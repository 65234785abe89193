package tally.bench;

import org.apache.parquet.column.ParquetProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.rating.RatedEvent;
import tally.rating.RatedSegmentWriter;
import tally.rules.RulesLoader;
import tally.testing.SyntheticRatedEvents;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Throughput of {@link RatedSegmentWriter}: N synthetic rated events (the mix of
 * {@code UsageGenerator}, priced with {@code rating-rules}) written as segments of S rows on 1 and
 * 2 threads, per writer setting; rows/s (wall clock, all threads) and bytes per row of the segments.
 *
 * <p>The rows come from a pool built before any timing ({@link SyntheticRatedEvents}, strings
 * included), each pool segment one bucket of accounts in rating order (resource, occurred_at,
 * event_id); a run cycles through the pool, so what is timed is {@code add} and {@code finish}.
 * Each setting is warmed up once, then {@code --repeat} rounds run every setting and thread count
 * in turn (other load on a shared machine spreads over all of them). Printed: best and median
 * wall-clock rows/s (all threads together), the median CPU time per row of the writing threads
 * (less sensitive to other processes than the wall clock), bytes per row of the segments. (The
 * parquet-avro record path this replaced measured 1.82 CPU us a row for 18 columns: session 5.)
 *
 * <pre>
 * mvn -q -B -o test-compile
 * mvn -q -B -o -f jobs/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/jobs/target/bench.classpath
 * java -Xmx2g -cp "jobs/target/test-classes:jobs/target/classes:$(cat jobs/target/bench.classpath)" tally.bench.WriteBench
 * </pre>
 *
 * <p>To compare settings, run each in its own JVM, a few rounds ({@code for r in 1 2 3; do for s in
 * chosen all_statistics money_dict; do java ... WriteBench --settings $s --repeat 1; done; done}):
 * settings run in one JVM share the JIT's profiles of Parquet's call sites, which blurred their
 * differences here.
 */
@Command(name = "write-bench", mixinStandardHelpOptions = true)
public final class WriteBench implements Callable<Integer> {

    @Option(names = "--rows", description = "rows per timed run (default ${DEFAULT-VALUE})")
    long rows = 10_000_000;

    @Option(names = "--segment-rows", description = "rows per segment (default ${DEFAULT-VALUE})")
    int segmentRows = 100_000;

    @Option(names = "--pool-rows", description = "distinct rows built before timing (default ${DEFAULT-VALUE})")
    int poolRows = 500_000;

    @Option(names = "--threads", split = ",", description = "thread counts (default ${DEFAULT-VALUE})")
    int[] threads = {1, 2};

    @Option(names = "--settings", split = ",", description = "writer settings, of: ${COMPLETION-CANDIDATES} (default: chosen)")
    List<Setting> settings = List.of(Setting.chosen);

    @Option(names = "--repeat", description = "rounds of timed runs over every setting and thread count (default ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--rules", description = "rating-rules directory (default: rating-rules or ../rating-rules)")
    Path rules;

    /** Writer settings compared, each a variant of RatedSegmentWriter's (built afresh: see {@link RatedSegmentWriter#settings}). */
    enum Setting {
        chosen(() -> RatedSegmentWriter.settings().build()),
        /** Statistics for every column, as parquet-avro writes them. */
        all_statistics(() -> statistics(RatedSegmentWriter.settings(), true, RatedSegmentWriter.NO_STATISTICS_COLUMNS).build()),
        /** No column statistics, size statistics or page indexes. */
        no_statistics(() -> RatedSegmentWriter.settings().withStatisticsEnabled(false).withSizeStatisticsEnabled(false).build()),
        /** No size statistics (byte counts and level histograms per page and chunk). */
        no_size_statistics(() -> RatedSegmentWriter.settings().withSizeStatisticsEnabled(false).build()),
        conversation_plain(() -> RatedSegmentWriter.plain(RatedSegmentWriter.settings(), List.of("conversation_id")).build()),
        occurred_at_dict(() -> RatedSegmentWriter.settings().withDictionaryEncoding("occurred_at", true).build()),
        posting_dict(() -> RatedSegmentWriter.settings().withDictionaryEncoding("posting_id", true).build()),
        money_dict(() -> RatedSegmentWriter.settings().withDictionaryEncoding("cost_cents", true)
                .withDictionaryEncoding("charge_cents", true).build()),
        numbers_plain(() -> RatedSegmentWriter.plain(RatedSegmentWriter.settings(), List.of("tokens_input", "tokens_output", "quantity")).build()),
        no_checksum(() -> RatedSegmentWriter.settings().withPageWriteChecksumEnabled(false).build()),
        /** Parquet's own values writers: a dictionary is dropped after a first page of nulls, every value is looked up. */
        standard_dictionaries(() -> statistics(RatedSegmentWriter.plain(ParquetProperties.builder(), RatedSegmentWriter.PLAIN_COLUMNS),
                false, RatedSegmentWriter.NO_STATISTICS_COLUMNS).build()),
        /** As AvroParquet writes: every statistic, dictionaries off only for event_id and posting_id, Parquet's values writers. */
        avro_defaults(() -> RatedSegmentWriter.plain(ParquetProperties.builder(), List.of("event_id", "posting_id")).build());

        final Supplier<ParquetProperties> properties;

        Setting(Supplier<ParquetProperties> properties) {
            this.properties = properties;
        }
    }

    static ParquetProperties.Builder statistics(ParquetProperties.Builder builder, boolean enabled, List<String> columns) {
        for (String column : columns) {
            builder.withStatisticsEnabled(column, enabled);
        }
        return builder;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WriteBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path rulesDir = rules != null ? rules : Files.isDirectory(Path.of("rating-rules")) ? Path.of("rating-rules") : Path.of("../rating-rules");
        long start = System.nanoTime();
        RatedEvent[] pool = SyntheticRatedEvents.generate(poolRows, segmentRows, RulesLoader.load(rulesDir), 2026_03_02L);
        System.err.printf(Locale.ROOT, "pool: %,d rows built in %.1f s (not timed below); %d cores, max heap %d MB%n",
                pool.length, seconds(System.nanoTime() - start), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<Setting> chosen = settings;
        Map<String, ParquetProperties> properties = new LinkedHashMap<>();
        for (Setting setting : chosen) {
            properties.put(setting.name(), setting.properties.get());
            run(pool, properties.get(setting.name()), 1, Math.min(rows, 2_000_000)); // warm-up, not counted
        }
        // Rounds over every setting and thread count, so that other load on the machine spreads over all of them.
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int round = 0; round < repeat; round++) {
            for (Setting setting : chosen) {
                for (int t : threads) {
                    runs.computeIfAbsent(setting.name() + "/" + t, k -> new ArrayList<>())
                            .add(run(pool, properties.get(setting.name()), t, rows));
                }
            }
        }
        System.err.printf(Locale.ROOT, "%-22s %7s %12s %13s %13s %15s %10s%n", "setting", "threads", "rows", "best rows/s",
                "median rows/s", "CPU us/row med", "bytes/row");
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            String[] key = entry.getKey().split("/");
            List<Run> all = entry.getValue();
            double[] rates = all.stream().mapToDouble(r -> rows / seconds(r.wallNanos())).sorted().toArray();
            double[] cpu = all.stream().mapToDouble(r -> r.cpuNanos() / 1e3 / rows).sorted().toArray();
            double bytesPerRow = (double) all.get(0).bytes() / rows;
            System.err.printf(Locale.ROOT, "%-22s %7s %,12d %,13.0f %,13.0f %15.2f %10.1f%n", key[0], key[1], rows,
                    rates[rates.length - 1], rates[rates.length / 2], cpu[cpu.length / 2], bytesPerRow);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("setting", key[0]);
            result.put("threads", Integer.parseInt(key[1]));
            result.put("rows", rows);
            result.put("best_rows_per_s", Math.round(rates[rates.length - 1]));
            result.put("median_rows_per_s", Math.round(rates[rates.length / 2]));
            result.put("median_cpu_us_per_row", Math.round(cpu[cpu.length / 2] * 100) / 100.0);
            result.put("bytes_per_row", Math.round(bytesPerRow * 10) / 10.0);
            results.add(result);
        }
        System.out.println(results);
        return 0;
    }

    /** One timed run: wall clock, CPU time of the writing threads (all of them), bytes of the segments. */
    record Run(long wallNanos, long cpuNanos, long bytes) {
    }

    /** Writes {@code total} rows of the pool as segments on {@code threads} threads. */
    Run run(RatedEvent[] pool, ParquetProperties properties, int threads, long total) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            long began = System.nanoTime();
            List<Future<long[]>> parts = new ArrayList<>();
            int poolSegments = pool.length / segmentRows;
            for (int t = 0; t < threads; t++) {
                long share = total / threads + (t < total % threads ? 1 : 0);
                int offset = t * (poolSegments / threads) * segmentRows; // each thread starts at a segment of the pool
                parts.add(executor.submit(() -> {
                    long cpuBefore = THREADS.getCurrentThreadCpuTime();
                    long bytes = writeSegments(pool, properties, offset, share);
                    return new long[] {bytes, THREADS.getCurrentThreadCpuTime() - cpuBefore};
                }));
            }
            long bytes = 0;
            long cpu = 0;
            for (Future<long[]> part : parts) {
                bytes += part.get()[0];
                cpu += part.get()[1];
            }
            return new Run(System.nanoTime() - began, cpu, bytes);
        } finally {
            executor.shutdown();
        }
    }

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    long writeSegments(RatedEvent[] pool, ParquetProperties properties, int offset, long rows) {
        RatedSegmentWriter writer = new RatedSegmentWriter(properties);
        long bytes = 0;
        int at = offset;
        for (long done = 0; done < rows; ) {
            int n = (int) Math.min(segmentRows, rows - done);
            for (int i = 0; i < n; i++) {
                writer.add(pool[at]);
                if (++at == pool.length) {
                    at = 0;
                }
            }
            bytes += writer.finish().length;
            done += n;
        }
        return bytes;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
