package tally.bench;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.cli.Json;
import tally.cli.TallyCommand;
import tally.infra.DatabaseServer;
import tally.sample.UsageGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code bench/run}: the nightly job on one generated day, in this JVM from an empty embedded
 * PostgreSQL, then the equivalent DuckDB SQL of {@code bench/duckdb-nightly.sql} on the same files.
 * A table goes to stderr, JSON to stdout. Runs from the repository root on the test classpath
 * (DuckDB is a test dependency).
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true,
        description = "Time the nightly job on a generated day against DuckDB doing the same set-based work.")
public final class NightlyBench implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the day (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--accounts", defaultValue = "10000", description = "Synthesized accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--bots", defaultValue = "50000", description = "Synthesized bots (default: ${DEFAULT-VALUE}).")
    int bots;

    @Option(names = "--cache", defaultValue = ".tally/bench", description = "Generated days and the run's database (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--duckdb-threads", defaultValue = "2", description = "DuckDB threads (default: ${DEFAULT-VALUE}).")
    int duckdbThreads;

    @Option(names = "--partitions", defaultValue = "2", description = "Account partitions of the nightly (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--nights", defaultValue = "1", description = "Consecutive arrival days run one after the other on "
            + "the same database, to show how a night's cost grows with the history before it; the totals and DuckDB "
            + "are for the last night (default: ${DEFAULT-VALUE}).")
    int nights;

    @Option(names = "--pg-statements", defaultValue = "0", description = "Also print the N statements of the last "
            + "night that took PostgreSQL the longest (pg_stat_statements), with their calls, rows and time, and the night's WAL "
            + "(pg_stat_wal: records, full-page images, MB, times the WAL buffers were full) (default: none).")
    int pgStatements;

    @Option(names = "--skip-duckdb", description = "Only run Tally.")
    boolean skipDuckdb;

    @Option(names = "--timeout-min", defaultValue = "0", description = "Stop waiting for the nightly after this many "
            + "minutes and report the steps done so far and the progress of the running one (default: no limit).")
    int timeoutMinutes;

    static final LocalDate DAY = LocalDate.parse("2026-03-02");
    static final Path RULES = Path.of("rating-rules");
    static final Path DUCKDB_SQL = Path.of("bench", "duckdb-nightly.sql");

    public static void main(String[] args) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        System.exit(new CommandLine(new NightlyBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (nights < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--nights must be at least 1");
        }
        Path data = cache.resolve("e%d-a%d-b%d".formatted(events, accounts, bots) + (nights > 1 ? "-n" + nights : ""));
        long generateMs = generateOnce(data);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events_requested", events);
        result.put("accounts", accounts);
        result.put("bots", bots);
        result.put("nights", nights);
        result.put("data", data.toString());
        result.put("generate_ms", generateMs);
        result.put("machine", machine());
        // DuckDB first, on a quiet machine: run after Tally it shared the cores with PostgreSQL
        // writing Tally's day out (a checkpoint) and looked up to 1.8x slower than it is.
        Map<String, Object> duck = skipDuckdb ? null : runDuckdb(data);
        result.put("tally", runTally(data));
        if (duck != null) {
            result.put("duckdb", duck);
            double duckMs = ((Number) duck.get("wall_ms")).doubleValue();
            Map<String, Object> tally = tally(result);
            if (Boolean.TRUE.equals(tally.get("completed"))) {
                result.put("ratio_tally_to_duckdb", round2(((Number) tally.get("wall_ms")).doubleValue() / duckMs));
            }
        }
        System.err.println(table(result));
        System.out.println(Json.pretty(result));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tally(Map<String, Object> result) {
        return (Map<String, Object>) result.get("tally");
    }

    /** Generates the day (with duplicates and a few bad rows) unless an earlier run left it complete; its time, or -1 if cached. */
    private long generateOnce(Path data) throws IOException {
        Path done = data.resolve("generate.json");
        if (Files.exists(done)) {
            return -1;
        }
        deleteTree(data);
        long start = System.nanoTime();
        UsageGenerator.generateWithReference(data.resolve("reference"), accounts, bots,
                new UsageGenerator.Options(data.resolve("usage"), DAY, nights, events, 1, 42, true));
        long ms = (System.nanoTime() - start) / 1_000_000;
        Files.writeString(done, Json.pretty(Map.of("events", events, "wall_time_ms", ms)));
        return ms;
    }

    private Map<String, Object> runTally(Path data) throws IOException, InterruptedException {
        Path home = cache.resolve("home");
        deleteTree(home);
        Map<String, Object> out = new LinkedHashMap<>();
        if (pgStatements > 0) {
            System.setProperty(DatabaseServer.PRELOAD_LIBRARIES_PROPERTY, "pg_stat_statements");
        }
        try (DatabaseServer db = DatabaseServer.embedded(home)) {
            String[] dbArgs = {"--db", db.jdbcUrl(), "--home", home.toString(), "--rules", RULES.toString()};
            tallyCommand(dbArgs, "import", "reference", "--dir", data.resolve("reference").toString());

            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl()));
            List<Map<String, Object>> earlierNights = new ArrayList<>();
            for (int night = 0; night < nights - 1; night++) {
                long start = System.nanoTime();
                if (!runNightly(dbArgs, data, DAY.plusDays(night))) {
                    throw new IllegalStateException("night " + DAY.plusDays(night) + " did not finish in --timeout-min");
                }
                earlierNights.add(night(DAY.plusDays(night), (System.nanoTime() - start) / 1_000_000, jdbc));
            }

            if (pgStatements > 0) {
                jdbc.execute("create extension if not exists pg_stat_statements");
                jdbc.execute("select pg_stat_statements_reset()");
                jdbc.execute("select pg_stat_reset_shared('wal')");
            }
            Memory.resetPeaks();
            Cpu cpuBefore = Cpu.now();
            long start = System.nanoTime();
            boolean completed = runNightly(dbArgs, data, lastDay());
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            Cpu cpu = Cpu.now().minus(cpuBefore);

            Map<String, Object> totals = jdbc.queryForMap("""
                    select (select coalesce(sum(events_rated), 0) from rated_bucket) as rated,
                           (select coalesce(sum(cost_ucents), 0) from rated_bucket) as cost_ucents,
                           (select count(distinct account_id) from ledger_txn where type = 'debit') as wallets_debited,
                           (select coalesce(sum(wallets_posted), 0) from rated_bucket) as wallets_to_debit,
                           (select count(*) from ledger_txn where run_id like 'nightly:%') as ledger_txns,
                           (select count(*) from bot_daily) as bot_days""");
            out.put("completed", completed);
            out.put("wall_ms", wallMs);
            out.put("events_per_s", completed ? Math.round(events * 1000.0 / wallMs) : null);
            out.put("heap_after_gc_max_mb", Memory.heapAfterGcMaxMb());
            out.put("peak_heap_mb", Memory.peakHeapMb());
            out.put("peak_rss_mb", Memory.peakRssMb());
            out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            out.put("jvm_cpu_ms", cpu.jvmMs());
            out.put("jit_compile_ms", cpu.jitCompileMs());
            out.put("postgres_cpu_ms", cpu.postgresMs());
            out.put("steps_ms", stepTimes(jdbc, lastDay()));
            out.put("totals", totals);
            if (pgStatements > 0) {
                out.put("pg_statements", jdbc.queryForList("""
                        select round(total_exec_time)::bigint as total_ms, calls, rows,
                               left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
                        from pg_stat_statements order by total_exec_time desc limit ?""", pgStatements));
                out.put("pg_wal", jdbc.queryForMap("""
                        select wal_records, wal_fpi, round(wal_bytes / 1048576)::bigint as wal_mb, wal_buffers_full
                        from pg_stat_wal"""));
            }
            if (nights > 1) {
                earlierNights.add(night(lastDay(), wallMs, jdbc));
                out.put("nights", earlierNights);
            }
        }
        return out;
    }

    private LocalDate lastDay() {
        return DAY.plusDays(nights - 1);
    }

    private static Map<String, Object> night(LocalDate day, long wallMs, JdbcTemplate jdbc) {
        Map<String, Object> night = new LinkedHashMap<>();
        night.put("date", day.toString());
        night.put("wall_ms", wallMs);
        night.put("steps_ms", stepTimes(jdbc, day));
        return night;
    }

    /** The nightly in a daemon thread; false if it was still running after the timeout (it is then abandoned). */
    private boolean runNightly(String[] dbArgs, Path data, LocalDate day) throws InterruptedException {
        RuntimeException[] failure = new RuntimeException[1];
        Thread nightly = new Thread(() -> {
            try {
                tallyCommand(dbArgs, "nightly", "--date", day.toString(), "--input", data.resolve("usage").toString(),
                        "--partitions", String.valueOf(partitions));
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "nightly");
        nightly.setDaemon(true);
        nightly.start();
        nightly.join(timeoutMinutes * 60_000L);
        if (failure[0] != null) {
            throw failure[0];
        }
        return !nightly.isAlive();
    }

    private static void tallyCommand(String[] dbArgs, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of(dbArgs)).toArray(String[]::new);
        StringWriter out = new StringWriter();
        int code = TallyCommand.execute(new PrintWriter(out, true), new PrintWriter(System.err, true), all);
        if (code != 0) {
            throw new IllegalStateException("tally " + String.join(" ", args) + " exited " + code + "\n" + out);
        }
    }

    /** Time per Spring Batch step of the day's nightly run, as its JobRepository recorded it (a running step: so far). */
    private static Map<String, Object> stepTimes(JdbcTemplate jdbc, LocalDate day) {
        Map<String, Object> steps = new LinkedHashMap<>();
        jdbc.query("""
                select s.step_name || case when s.end_time is null then ' (running)' else '' end,
                       extract(epoch from coalesce(s.end_time, localtimestamp) - s.start_time) * 1000 as ms
                from batch_step_execution s
                join batch_job_execution e on e.job_execution_id = s.job_execution_id
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                where i.job_name = 'nightly' and p.parameter_name = 'date' and p.parameter_value = ?
                order by s.step_execution_id""",
                (ResultSet rs) -> {
                    steps.put(rs.getString(1), Math.round(rs.getDouble(2)));
                }, day.toString());
        return steps;
    }

    private Map<String, Object> runDuckdb(Path data) throws IOException, SQLException {
        Path out = cache.resolve("duckdb-out");
        deleteTree(out);
        Files.createDirectories(out);
        String sql = Files.readString(DUCKDB_SQL)
                .replace("${day}", lastDay().toString())
                .replace("${usage}", data.resolve("usage").resolve("date=" + lastDay()).toAbsolutePath().toString())
                .replace("${reference}", data.resolve("reference").toAbsolutePath().toString())
                .replace("${rules}", RULES.toAbsolutePath().toString())
                .replace("${out}", out.toAbsolutePath().toString());
        Map<String, Object> result = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("set threads = " + duckdbThreads);
            s.execute("set TimeZone = 'UTC'");
            Map<String, Object> totals = new LinkedHashMap<>();
            Map<String, Long> statementsMs = new LinkedHashMap<>();
            for (String statement : sql.split(";\\s*\\n")) {
                if (statement.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                    continue;
                }
                long statementStart = System.nanoTime();
                boolean returnsRows = s.execute(statement);
                statementsMs.merge(statementLabel(statement), (System.nanoTime() - statementStart) / 1_000_000, Long::sum);
                if (returnsRows) {
                    try (ResultSet rs = s.getResultSet()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        while (rs.next()) {
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                totals.put(meta.getColumnLabel(i), rs.getObject(i));
                            }
                        }
                    }
                }
            }
            result.put("wall_ms", (System.nanoTime() - start) / 1_000_000);
            result.put("threads", duckdbThreads);
            result.put("statements_ms", statementsMs);
            result.put("totals", totals);
        }
        return result;
    }

    /** What a statement of the DuckDB script makes: its table, "copy" or "set", or "totals" for the last select. */
    static String statementLabel(String statement) {
        String first = statement.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("--"))
                .findFirst().orElseThrow();
        String[] words = first.split("\\s+");
        if (first.startsWith("create temp table ")) {
            return words[3];
        }
        return words[0].equals("select") ? "totals" : words[0];
    }

    /** Heap peaks from the memory pools (reset before the run) and the process's peak RSS. */
    static final class Memory {
        private Memory() {
        }

        /** The most heap in use right after a collection since {@link #resetPeaks}: the live set's peak. */
        private static final java.util.concurrent.atomic.AtomicLong AFTER_GC_MAX = new java.util.concurrent.atomic.AtomicLong();

        static {
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        com.sun.management.GcInfo info = com.sun.management.GarbageCollectionNotificationInfo
                                .from((javax.management.openmbean.CompositeData) notification.getUserData()).getGcInfo();
                        long used = info.getMemoryUsageAfterGc().entrySet().stream()
                                .filter(e -> heapPools().stream().anyMatch(p -> p.getName().equals(e.getKey())))
                                .mapToLong(e -> e.getValue().getUsed()).sum();
                        AFTER_GC_MAX.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }

        static void resetPeaks() {
            System.gc();
            AFTER_GC_MAX.set(0);
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
            } catch (IOException | RuntimeException e) {
                // not on Linux or not allowed: VmHWM then includes the import before the run
            }
        }

        /** The live heap's peak: the most in use after any collection. */
        static long heapAfterGcMaxMb() {
            return AFTER_GC_MAX.get() >> 20;
        }

        /** The sum of the heap pools' peaks: an upper bound of the heap in use at any one time (garbage included). */
        static long peakHeapMb() {
            return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
        }

        static long peakRssMb() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(line -> line.startsWith("VmHWM:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) >> 10)
                        .findFirst().orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        private static List<MemoryPoolMXBean> heapPools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        }
    }

    /**
     * CPU spent so far: the JVM's (all its threads), the JIT's compile tasks (C1 + C2, elapsed time
     * of the compiler threads as the JVM counts it: on a busy machine more than their CPU), and
     * PostgreSQL's (Linux only, -1 elsewhere: every process named postgres, plus what the exited ones
     * left in their parent's children times). A night on 2 cores is CPU-bound, so these say where
     * its time goes when the VM's speed moves the wall time.
     */
    record Cpu(long jvmMs, long jitCompileMs, long postgresMs) {

        static Cpu now() {
            long jvmNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new Cpu(jvmNanos / 1_000_000, ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
                    postgresCpuMs());
        }

        Cpu minus(Cpu before) {
            return new Cpu(jvmMs - before.jvmMs, jitCompileMs - before.jitCompileMs,
                    postgresMs < 0 || before.postgresMs < 0 ? -1 : postgresMs - before.postgresMs);
        }

        /** utime + stime + cutime + cstime (fields 14-17 of /proc/PID/stat) of every postgres process. */
        private static long postgresCpuMs() {
            long ticks = 0;
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) processes::iterator) {
                    if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    String stat;
                    try {
                        stat = Files.readString(process.resolve("stat"));
                    } catch (IOException gone) {
                        continue;
                    }
                    int nameEnd = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, nameEnd).equals("postgres")) {
                        continue;
                    }
                    String[] fields = stat.substring(nameEnd + 2).split(" ");
                    for (int field = 11; field <= 14; field++) {
                        ticks += Long.parseLong(fields[field]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return ticks * 1000 / CLOCK_TICKS_PER_S;
        }

        /** USER_HZ: 100 on every Linux Tally runs on (sysconf(_SC_CLK_TCK) is not reachable from Java). */
        private static final long CLOCK_TICKS_PER_S = 100;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> r) {
        Map<String, Object> t = tally(r);
        StringBuilder s = new StringBuilder("\n");
        s.append("%-28s %s%n".formatted("events", r.get("events_requested") + " (" + r.get("accounts") + " accounts, "
                + r.get("bots") + " bots)"));
        s.append("%-28s %s%n".formatted("machine", r.get("machine")));
        s.append("%-28s %,d ms%n".formatted("Tally wall time", (Long) t.get("wall_ms")));
        s.append("%-28s %s%n".formatted("Tally completed", t.get("completed")));
        s.append("%-28s %s%n".formatted("Tally events/s", t.get("events_per_s")));
        s.append("%-28s %d MB (of -Xmx %d MB)%n".formatted("Tally heap after GC, max", t.get("heap_after_gc_max_mb"), t.get("max_heap_mb")));
        s.append("%-28s %d MB (pools' peaks summed: garbage included)%n".formatted("Tally peak heap", t.get("peak_heap_mb")));
        s.append("%-28s %d MB%n".formatted("JVM peak RSS", t.get("peak_rss_mb")));
        s.append("%-28s %,d ms (JIT compile tasks %,d ms), PostgreSQL %,d ms%n".formatted("Tally CPU: JVM",
                (Long) t.get("jvm_cpu_ms"), (Long) t.get("jit_compile_ms"), (Long) t.get("postgres_cpu_ms")));
        ((Map<String, Object>) t.get("steps_ms")).forEach((step, ms) -> s.append("%-28s %,d ms%n".formatted("  step " + step, (Long) ms)));
        s.append("%-28s %s%n".formatted("Tally totals", t.get("totals")));
        if (t.containsKey("nights")) {
            for (Map<String, Object> night : (List<Map<String, Object>>) t.get("nights")) {
                s.append("%-28s %,d ms %s%n".formatted("night " + night.get("date"), (Long) night.get("wall_ms"),
                        night.get("steps_ms")));
            }
        }
        if (r.containsKey("duckdb")) {
            Map<String, Object> d = (Map<String, Object>) r.get("duckdb");
            s.append("%-28s %,d ms (%s threads)%n".formatted("DuckDB wall time", (Long) d.get("wall_ms"), d.get("threads")));
            ((Map<String, Object>) d.get("statements_ms")).forEach((label, ms) -> {
                if ((Long) ms >= 100) {
                    s.append("%-28s %,d ms%n".formatted("  statement " + label, (Long) ms));
                }
            });
            s.append("%-28s %s%n".formatted("DuckDB totals", d.get("totals")));
            s.append("%-28s %s%n".formatted("ratio Tally/DuckDB", r.get("ratio_tally_to_duckdb")));
        }
        return s.toString();
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
