package tally.bench;

import tally.usage.InputUnit;
import tally.usage.RawRow;
import tally.usage.UsageFileReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Read throughput of {@link UsageFileReader} on one usage file, {@link RawRow}s included: all its
 * units on one thread, then on two threads (one unit, i.e. one Parquet row group, per task), a few
 * rounds each (the first ones warm the JIT up). Prints rows per second of elapsed time and of the
 * reading threads' CPU time, per round, to stdout.
 *
 * <pre>java -Xmx1g -cp jobs/target/test-classes:jobs/target/classes:$(cat jobs/target/bench.classpath) \
 *     tally.bench.ReadBench FILE [ROUNDS]</pre>
 */
public final class ReadBench {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ReadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ReadBench FILE [ROUNDS (default 3)]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int rounds = args.length == 2 ? Integer.parseInt(args[1]) : 3;
        List<InputUnit> units = UsageFileReader.units(file, file.getFileName().toString());
        System.out.printf("%s: %d units, %,d rows%n", file, units.size(), units.stream().mapToLong(InputUnit::rows).sum());
        for (int round = 1; round <= rounds; round++) {
            for (int threads = 1; threads <= 2; threads++) {
                long startNanos = System.nanoTime();
                Tally tally = read(units, threads);
                long elapsedNanos = System.nanoTime() - startNanos;
                System.out.printf("round %d, %d thread%s: %,d rows in %,6d ms = %,10d rows/s; %,6d ms CPU = %,10d rows/CPU-s (check %d)%n",
                        round, threads, threads == 1 ? " " : "s", tally.rows, elapsedNanos / 1_000_000,
                        tally.rows * 1_000_000_000L / elapsedNanos, tally.cpuNanos / 1_000_000,
                        tally.rows * 1_000_000_000L / tally.cpuNanos, tally.check);
            }
        }
    }

    /**
     * Rows read, the reading threads' CPU time (less disturbed than elapsed time by other work on the
     * machine), and a sum over the rows' values so that no work can be optimised away.
     */
    private record Tally(long rows, long cpuNanos, long check) {
        Tally plus(Tally other) {
            return new Tally(rows + other.rows, cpuNanos + other.cpuNanos, check + other.check);
        }
    }

    private static Tally read(List<InputUnit> units, int threads) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Tally>> results = new ArrayList<>();
            for (InputUnit unit : units) {
                results.add(pool.submit(() -> read(unit)));
            }
            Tally total = new Tally(0, 0, 0);
            for (Future<Tally> result : results) {
                total = total.plus(result.get());
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    private static Tally read(InputUnit unit) {
        long startCpuNanos = CPU.getCurrentThreadCpuTime();
        long rows = 0;
        long check = 0;
        try (UsageFileReader reader = new UsageFileReader(unit)) {
            while (reader.hasNext()) {
                RawRow row = reader.next();
                rows++;
                check += row.sourceRow() + length(row.eventId()) + length(row.model())
                        + (row.occurredAtMicros() == null ? 0 : row.occurredAtMicros())
                        + (row.tokensInput() == null ? 0 : row.tokensInput());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Tally(rows, CPU.getCurrentThreadCpuTime() - startCpuNanos, check);
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
