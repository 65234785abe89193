package tally.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import tally.analytics.DailyRollups;
import tally.analytics.RetentionPurge;
import tally.infra.BadInputException;
import tally.infra.DayPartitions;
import tally.infra.TallyConfig.TallySettings;
import tally.ledger.UsagePosting;
import tally.partition.AccountPartition;
import tally.partition.AccountPartitioner;
import tally.rating.Rater;
import tally.rating.UsageRating;
import tally.report.RunReport;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.rules.RulesLoader;
import tally.usage.UsageStager;
import tally.wallet.AutoReloads;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.sql.Date;

/** The tasklets of the nightly job; each delegates to its stage's package. */
@Component
public class NightlySteps {

    private static final Logger log = LoggerFactory.getLogger(NightlySteps.class);

    private final UsageStager stager;
    private final UsageRating rating;
    private final UsagePosting posting;
    private final AutoReloads reloads;
    private final DailyRollups rollups;
    private final RetentionPurge retention;
    private final NightlySummary summary;
    private final RunReport report;
    private final JdbcTemplate jdbc;
    private final JobRepository repository;
    private final TallySettings settings;

    public NightlySteps(UsageStager stager, UsageRating rating, UsagePosting posting, AutoReloads reloads,
                        DailyRollups rollups, RetentionPurge retention, NightlySummary summary, RunReport report,
                        JdbcTemplate jdbc, JobRepository repository, TallySettings settings) {
        this.stager = stager;
        this.rating = rating;
        this.posting = posting;
        this.reloads = reloads;
        this.rollups = rollups;
        this.retention = retention;
        this.summary = summary;
        this.report = report;
        this.jdbc = jdbc;
        this.repository = repository;
        this.settings = settings;
    }

    static NightlyParameters parameters(ChunkContext context) {
        return NightlyParameters.from(context.getStepContext().getStepExecution().getJobParameters());
    }

    Path runDir(NightlyParameters p) {
        return settings.runDir(NightlyJobConfig.JOB_NAME, p.date().toString());
    }

    /**
     * Reads, validates and stages the day's rows (one transaction). Until rating has completed, a
     * restart stages again, so a run failed for bad input reads the corrected files.
     */
    public RepeatStatus stageUsage(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        StepExecution stage = context.getStepContext().getStepExecution();
        StepExecution rating = repository.getLastStepExecution(stage.getJobExecution().getJobInstance(), NightlyJobConfig.RATE_USAGE);
        if (rating != null && rating.getStatus() == BatchStatus.COMPLETED) {
            log.info("{}: rating completed earlier; nothing to stage", p.runId());
            return RepeatStatus.FINISHED;
        }
        UsageStager.StageResult staged = stager.stage(p.inputDir(), p.date(), p.allowedLateness());
        DayPartitions.usageEvents(jdbc).createDetached(p.date());
        log.info("{}: {} rows read from {} files, {} staged, {} rejected", p.runId(), staged.rowsRead(), staged.files(),
                staged.rowsStaged(), staged.rowsRejected());
        contribution.incrementWriteCount(staged.rowsStaged());
        return RepeatStatus.FINISHED;
    }

    /** Dedups and rates one account partition's staged events (one transaction). */
    public RepeatStatus ratePartition(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        AccountPartition partition = AccountPartitioner.of(context.getStepContext().getStepExecution());
        Path ratedFile = runDir(p).resolve(NightlySummary.RATED_EVENTS_DIR)
                .resolve("part-" + (partition.index() + 1) + "-of-" + partition.count() + ".parquet");
        UsageRating.RatingResult rated = rating.rate(p.date(), p.allowedLateness(), RulesLoader.load(settings.rulesDir()),
                ReferenceData.load(jdbc), ratedFile, partition);
        log.info("{}: partition {}: {} rated, {} rejected, {} capped", p.runId(), partition, rated.rated(),
                rated.rejected(), rated.capped());
        contribution.incrementWriteCount(rated.rated());
        contribution.incrementFilterCount(rated.rejected());
        return RepeatStatus.FINISHED;
    }

    /**
     * Once every partition is rated: too many rejects fail the rating step (nothing is posted; its
     * restart stages and rates the day again). Otherwise what the summary needs of the staged rows
     * is kept (staged_day) and they are dropped, the day's usage_event table is attached, which
     * builds its indexes, and the planner's statistics take in its rows for posting and the summary.
     */
    public void afterRating(StepExecution rating) {
        NightlyParameters p = NightlyParameters.from(rating.getJobParameters());
        Date day = Date.valueOf(p.date());
        long staged = count("select count(*) from staged_event where arrival_date = ?", day);
        checkRejects(p, day, staged);
        // A plain SELECT of a grouped subquery: PostgreSQL runs neither count(distinct) nor a
        // SELECT inside an INSERT with parallel workers.
        long firstSightings = count("""
                select count(*) from (select s.event_id from staged_event s where s.arrival_date = ? and %s
                                      group by s.event_id) ids""".formatted(UsageRating.notRatedEarlier("s", p.date(), p.allowedLateness())), day);
        jdbc.update("""
                insert into staged_day (arrival_date, rows_staged, first_sightings) values (?, ?, ?)
                on conflict (arrival_date) do update set rows_staged = excluded.rows_staged,
                    first_sightings = excluded.first_sightings""", day, staged, firstSightings);
        DayPartitions.stagedEvents(jdbc).drop(p.date());
        jdbc.update("delete from repeated_event where arrival_date = ?", day);
        DayPartitions usageDays = DayPartitions.usageEvents(jdbc);
        usageDays.attach(p.date());
        usageDays.analyze(p.date());
    }

    /** Once every partition is posted: the planner's statistics take in the day's ledger rows for the summary. */
    public void afterPosting(StepExecution posting) {
        analyze("ledger_txn");
        analyze("ledger_entry");
    }

    /**
     * Autovacuum refreshes statistics in its own time; a day's rows planned on statistics that
     * predate them made summarize's carried-rounding control a nested loop of over ten minutes
     * (bench/run, 1M events; 4 s with fresh statistics). Runs outside any transaction (the
     * partitioned steps' managers have none), so the next queries see the statistics at once.
     */
    private void analyze(String table) {
        jdbc.execute("analyze " + table);
    }

    private void checkRejects(NightlyParameters p, Date day, long staged) {
        long rejected = count("select count(*) from rejected_event where arrival_date = ?", day);
        long read = staged + count("select count(*) from rejected_event where arrival_date = ? and reason not in " + Rater.REJECT_REASONS_SQL, day);
        if (read == 0) {
            return;
        }
        BigDecimal rate = BigDecimal.valueOf(rejected).divide(BigDecimal.valueOf(read), MathContext.DECIMAL64);
        if (rate.compareTo(p.maxRejectRate()) > 0) {
            // The partitions committed their ratings; a failed day keeps only its rejects.
            DayPartitions.usageEvents(jdbc).drop(p.date());
            jdbc.update("delete from bot_spend where arrival_date = ?", day);
            FileSystemUtils.deleteRecursively(runDir(p).resolve(NightlySummary.RATED_EVENTS_DIR).toFile());
            throw new BadInputException(rejected + " of " + read + " rows of " + p.inputDir().resolve("date=" + p.date())
                    + " were rejected (" + rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%), over the limit of "
                    + p.maxRejectRate().movePointRight(2).stripTrailingZeros().toPlainString()
                    + "% (option --max-reject-rate); nothing was posted. First rejects: " + firstRejects(p));
        }
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private String firstRejects(NightlyParameters p) {
        return String.join("; ", jdbc.queryForList("""
                select source_file || ' row ' || source_row || ': ' || reason || coalesce(' (' || detail || ')', '')
                from rejected_event where arrival_date = ? order by source_file, source_row limit 3""", String.class, p.date()));
    }

    /** Posts one account partition's wallets (100 wallets a transaction). */
    public RepeatStatus postPartition(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        AccountPartition partition = AccountPartitioner.of(context.getStepContext().getStepExecution());
        UsagePosting.PostingResult result = posting.post(p.date(), p.runId(), RulesLoader.load(settings.rulesDir()),
                ReferenceData.load(jdbc), partition);
        log.info("{}: partition {}: {} wallets, {} ledger transactions written", p.runId(), partition, result.wallets(),
                result.txnsWritten());
        contribution.incrementWriteCount(result.txnsWritten());
        return RepeatStatus.FINISHED;
    }

    /** Reloads the wallets this run left below their threshold (after all of a wallet's debits; docs/stripe.md). */
    public RepeatStatus autoReload(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        log.info("{}: auto-reloads {}", p.runId(), reloads.run(p.runId(), p.date()));
        return RepeatStatus.FINISHED;
    }

    public RepeatStatus rollUp(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        DailyRollups.RollupResult result = rollups.recompute(p.date());
        log.info("{}: analytics for {} bot-days, {} agent-days, {} tool-days", p.runId(), result.botDays(),
                result.agentDays(), result.toolDays());
        return RepeatStatus.FINISHED;
    }

    /** Retention is measured from the run's business date, so a rerun of a date purges the same rows. */
    public RepeatStatus purgeAnalytics(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        RetentionPurge.PurgeResult result = retention.purge(p.date());
        log.info("{}: retention purged {} bot-days, {} agent-days, {} tool-days", p.runId(), result.botDays(),
                result.agentDays(), result.toolDays());
        return RepeatStatus.FINISHED;
    }

    public RepeatStatus summarize(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        java.time.LocalDateTime started = context.getStepContext().getStepExecution().getJobExecution().getStartTime();
        summary.write(p, runDir(p), started, RulesLoader.load(settings.rulesDir()));
        return RepeatStatus.FINISHED;
    }

    public RepeatStatus report(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        log.info("{}: report {}", p.runId(), report.write(p.date(), runDir(p).resolve(RunReport.FILE_NAME)));
        return RepeatStatus.FINISHED;
    }
}
