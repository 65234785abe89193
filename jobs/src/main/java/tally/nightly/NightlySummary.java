package tally.nightly;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tally.cli.Json;
import tally.infra.CursorReads;
import tally.ledger.LedgerChecks;
import tally.money.Money;
import tally.rating.RatedEventFiles;
import tally.report.RunReport;
import tally.rules.RatingRules;
import tally.wallet.AutoReloads;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The run summary of one nightly run and its control totals (RULES.md), each computed from the
 * stored data independently of the code that produced it. A control that does not hold fails the
 * run loudly (exit 1); the summary is stored and written as JSON either way.
 */
@Component
public class NightlySummary {

    /** The run directory's folder of rated-events Parquet files, one per account partition. */
    public static final String RATED_EVENTS_DIR = "rated-events";

    private final JdbcTemplate jdbc;
    /** For the reads with a row per debit or reject (a 100M-event day: ~700 MB live when held whole). */
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final LedgerChecks checks;
    private final AutoReloads reloads;
    private final RatedEventFiles ratedFiles;

    public NightlySummary(JdbcTemplate jdbc, DataSource dataSource, PlatformTransactionManager transactions,
                          LedgerChecks checks, AutoReloads reloads, RatedEventFiles ratedFiles) {
        this.jdbc = jdbc;
        this.streaming = CursorReads.template(dataSource);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.checks = checks;
        this.reloads = reloads;
        this.ratedFiles = ratedFiles;
    }

    /**
     * Computes, checks and stores the run summary. A restart after the summary was committed leaves
     * the stored summary as it is.
     */
    public void write(NightlyParameters p, Path runDir, LocalDateTime startedAt, RatingRules rules) {
        Date day = Date.valueOf(p.date());
        if (count("select count(*) from run_summary where run_id = ?", p.runId()) > 0) {
            return;
        }
        // The output files need none of the controls, and the ledger checks (the longest control:
        // half of the step) none of the others: each runs on a connection of its own while the
        // other controls are computed on this one.
        ExecutorService aside = Executors.newFixedThreadPool(2, r -> new Thread(r, "summary-aside"));
        try {
            Future<?> files = aside.submit(() -> {
                writeRejects(p.date(), runDir.resolve("rejects.csv"));
                ratedFiles.write(p.date(), p.partitions(), runDir.resolve(RATED_EVENTS_DIR));
            });
            Future<Map<String, List<String>>> ledgerViolations = aside.submit(() -> checks.violationsOf(p.runId()));
            writeChecked(p, runDir, startedAt, rules, day, files, ledgerViolations);
        } finally {
            aside.shutdownNow();
        }
    }

    private void writeChecked(NightlyParameters p, Path runDir, LocalDateTime startedAt, RatingRules rules, Date day,
                              Future<?> files, Future<Map<String, List<String>>> ledgerViolations) {
        Map<String, Object> stage = jdbc.queryForMap("""
                select rows_read, duplicates from stage_day where arrival_date = ?""", day);
        long read = ((Number) stage.get("rows_read")).longValue();
        long duplicates = ((Number) stage.get("duplicates")).longValue();
        long rejected = count("select count(*) from rejected_event where arrival_date = ?", day);
        Map<String, Object> usage = jdbc.queryForMap("""
                select coalesce(sum(events_rated), 0) as rated, coalesce(sum(events_capped), 0) as capped,
                       coalesce(sum(cost_ucents), 0) as cost_ucents, coalesce(sum(charge_ucents), 0) as charge_ucents,
                       coalesce(sum(bot_charge_ucents), 0) as bot_charge_ucents
                from rated_bucket where arrival_date = ?""", day);
        long rated = ((Number) usage.get("rated")).longValue();
        long capped = ((Number) usage.get("capped")).longValue();
        long storedEvents = count("select coalesce(sum(rows), 0) from usage_segment where arrival_date = ?", day);

        Map<String, Object> reasons = new LinkedHashMap<>();
        jdbc.query("select reason, count(*) from rejected_event where arrival_date = ? group by 1 order by 1",
                rs -> {
                    reasons.put(rs.getString(1), rs.getLong(2));
                }, day);

        Map<String, Object> money = new LinkedHashMap<>();
        long costUcents = ((Number) usage.get("cost_ucents")).longValue();
        RunPostings posted = runPostings(p.runId());
        long expectedEarnings = expectedCreatorEarnings(p, rules);
        money.put("cost_cents", Money.roundToCents(costUcents));
        money.put("charges_computed_cents", posted.chargeCents());
        money.put("debits_posted_cents", posted.collectedCents());
        money.put("uncollected_cents", posted.uncollectedCents());
        money.put("creator_earnings_cents", posted.earningsCents());

        Map<String, Object> controls = new LinkedHashMap<>();
        controls.put("events_read_equal_rated_duplicates_rejected", read == rated + duplicates + rejected);
        controls.put("rated_events_stored", storedEvents == rated);
        controls.put("charges_equal_debits_plus_uncollected",
                posted.chargeCents() == posted.collectedCents() + posted.uncollectedCents());
        controls.put("creator_earnings_equal_fee_complement", posted.earningsCents() == expectedEarnings);
        List<String> carryMismatches = carriedRoundingMismatches(p);
        controls.put("postings_equal_rounded_exact_charges", carryMismatches.isEmpty()
                && posted.exactUcents() == ((Number) usage.get("charge_ucents")).longValue());
        controls.put("bot_spend_equals_charged_bot_messages", ((Number) usage.get("bot_charge_ucents")).longValue()
                == count("select coalesce(sum(charge_ucents), 0) from bot_spend where arrival_date = ?", day));
        Map<String, List<String>> violations = await(ledgerViolations, "the ledger checks");
        violations.forEach((name, ids) -> controls.put("ledger_" + name, ids.isEmpty()));
        boolean ok = controls.values().stream().allMatch(Boolean.TRUE::equals);

        long wallMs = startedAt == null ? 0 : Duration.between(startedAt, LocalDateTime.now()).toMillis();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", NightlyJobConfig.JOB_NAME);
        summary.put("date", p.date().toString());
        summary.put("rules_version", rules.version());
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("read", read);
        events.put("rated", rated);
        events.put("duplicates", duplicates);
        events.put("rejected", rejected);
        events.put("capped", capped);
        events.put("rejected_by_reason", reasons);
        summary.put("events", events);
        summary.put("money", money);
        summary.put("auto_reloads", reloads.totals(p.runId()));
        summary.put("postings_made", posted.transactions());
        summary.put("controls", controls);
        summary.put("controls_ok", ok);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("rated_events", runDir.resolve(RATED_EVENTS_DIR).toString());
        outputs.put("rejects", runDir.resolve("rejects.csv").toString());
        outputs.put("report", runDir.resolve(RunReport.FILE_NAME).toString());
        summary.put("outputs", outputs);
        summary.put("wall_time_ms", wallMs);
        summary.put("events_per_second", wallMs == 0 ? null
                : BigDecimal.valueOf(read * 1000).divide(BigDecimal.valueOf(wallMs), 0, RoundingMode.DOWN).longValue());

        await(files, "the run's files");
        writeFile(runDir.resolve("summary.json"), Json.pretty(summary));
        if (!ok) {
            throw new IllegalStateException("control totals of " + p.runId() + " do not hold: " + controls
                    + " ledger violations " + violations
                    + (carryMismatches.isEmpty() ? "" : " carried rounding not held by (wallet/resource/month) " + carryMismatches));
        }
        jdbc.update("""
                insert into run_summary (run_id, job, business_date, rules_version, summary, controls_ok)
                values (?, ?, ?, ?, ?::json, ?)
                on conflict (run_id) do update set summary = excluded.summary, controls_ok = excluded.controls_ok,
                    rules_version = excluded.rules_version, written_at = clock_timestamp()""",
                p.runId(), NightlyJobConfig.JOB_NAME, day, rules.version(), Json.compact(summary), ok);
    }

    /** What a task run aside gave; its failure is the step's. */
    private static <T> T await(Future<T> task, String what) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }

    private long count(String sql, Object... args) {
        Long value = jdbc.queryForObject(sql, Long.class, args);
        return value == null ? 0 : value;
    }

    /** The run's transactions in all, its debits' sums and its creator earnings. */
    private record RunPostings(long transactions, long chargeCents, long collectedCents, long uncollectedCents,
                               long exactUcents, long earningsCents) {
    }

    /** One pass over the run's transactions (a 10M-event night: ~805k; five queries read them five times). */
    private RunPostings runPostings(String runId) {
        return jdbc.queryForObject("""
                select count(*), coalesce(sum(charge_cents) filter (where type = 'debit'), 0),
                       coalesce(sum(collected_cents) filter (where type = 'debit'), 0),
                       coalesce(sum(uncollected_cents) filter (where type = 'debit'), 0),
                       coalesce(sum(exact_ucents) filter (where type = 'debit'), 0),
                       coalesce(sum(amount_cents) filter (where type = 'earning'), 0)
                from ledger_txn where run_id = ?""", (rs, i) -> new RunPostings(rs.getLong(1), rs.getLong(2),
                rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)), runId);
    }

    /**
     * Creator earnings recomputed from this run's tool debits: collected less the fee on it, per
     * debit. Debits of equal collected cents on one usage day have equal fees, so the database
     * counts them and the fee is computed once per (cents, day): a few thousand rows, not a row
     * per tool debit (~770k at 10M events).
     */
    private long expectedCreatorEarnings(NightlyParameters p, RatingRules rules) {
        long[] total = new long[1];
        readOnly.executeWithoutResult(status -> streaming.query("""
                select d.collected_cents, d.effective_date, count(*) from ledger_txn d join tool t on t.tool_id = d.resource_id
                where d.run_id = ? and d.type = 'debit' group by 1, 2""", rs -> {
            long collected = rs.getLong(1);
            LocalDate day = rs.getDate(2).toLocalDate();
            long debits = rs.getLong(3);
            total[0] = Math.addExact(total[0],
                    Math.multiplyExact(debits, collected - Money.feeCents(collected, rules.feeFractionOn(day))));
        }, p.runId()));
        return total[0];
    }

    /** This run's debits per (wallet, resource, month) key, beside the key's kept state (usage_carry). */
    private static final String RUN_DEBITS_BESIDE_KEPT_STATE = """
            with run_debits as (
                select account_id, resource_id, usage_month, sum(charge_cents) as cents, sum(exact_ucents) as ucents
                from ledger_txn where run_id = ? and type = 'debit' group by 1, 2, 3)
            select %s
            from run_debits d left join usage_carry c on c.payer_account_id = d.account_id
                and c.usage_month = d.usage_month and c.resource_id = d.resource_id""";

    /**
     * Up to 5 (wallet, resource, month) keys of this run whose postings do not hold carried
     * rounding: the run's debits per key (their exact charges and cents) must be what the run added
     * to the key's kept state ({@code usage_carry}), and the kept cents must be the rounded kept
     * exact charges. Each night checks its own addition and the state it leaves, so the check reads
     * the night's postings, not the month's; {@code ledger verify} checks the kept state against all
     * of them. The night's exact charges in all are checked against what its buckets rated (the
     * caller).
     *
     * <p>The first pass compares in SQL and brings back per key only that comparison and the kept
     * cents and exact charges, for the rounding ({@link Money#roundToCents}, the one rounding
     * function); only when something does not hold does a second pass name the keys. At 10M events
     * (805k keys) the one pass that returned ten columns per key took 3.8-4.1 s alone, three
     * columns 2.9 s (docs/performance.md, session 9).
     */
    private List<String> carriedRoundingMismatches(NightlyParameters p) {
        boolean[] holds = {true};
        readOnly.executeWithoutResult(status -> streaming.query(RUN_DEBITS_BESIDE_KEPT_STATE.formatted("""
                coalesce(c.last_run_id = ? and c.last_posted_cents = d.cents and c.last_exact_ucents = d.ucents, false),
                c.posted_cents, c.exact_ucents"""), rs -> {
            holds[0] &= rs.getBoolean(1) && rs.getLong(2) == Money.roundToCents(rs.getLong(3));
        }, p.runId(), p.runId()));
        if (holds[0]) {
            return List.of();
        }
        List<String> mismatches = new java.util.ArrayList<>();
        readOnly.executeWithoutResult(status -> streaming.query(RUN_DEBITS_BESIDE_KEPT_STATE.formatted("""
                d.account_id, d.resource_id, d.usage_month, d.cents, d.ucents,
                c.last_run_id, c.last_posted_cents, c.last_exact_ucents, c.posted_cents, c.exact_ucents"""), rs -> {
            boolean keyHolds = p.runId().equals(rs.getString(6))
                    && rs.getLong(4) == rs.getLong(7) && rs.getLong(5) == rs.getLong(8)
                    && rs.getLong(9) == Money.roundToCents(rs.getLong(10));
            if (!keyHolds && mismatches.size() < 5) {
                mismatches.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getDate(3));
            }
        }, p.runId()));
        return mismatches;
    }

    private void writeRejects(LocalDate day, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                 CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                         .setHeader("arrival_date", "source_file", "source_row", "event_id", "reason", "detail").get())) {
                readOnly.executeWithoutResult(status -> streaming.query("""
                        select arrival_date, source_file, source_row, event_id, reason, detail from rejected_event
                        where arrival_date = ? order by source_file, source_row""", rs -> {
                    try {
                        csv.printRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), rs.getString(6));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, Date.valueOf(day)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rejects file " + file + " cannot be written", e);
        }
    }

    static void writeFile(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
