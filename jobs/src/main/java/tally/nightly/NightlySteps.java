package tally.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.analytics.DailyRollups;
import tally.analytics.RetentionPurge;
import tally.ledger.CreatorEarnings;
import tally.infra.DayPartitions;
import tally.infra.TallyConfig.TallySettings;
import tally.partition.AccountPartition;
import tally.partition.AccountPartitioner;
import tally.report.RunReport;
import tally.reference.ReferenceData;
import tally.rules.RulesLoader;
import tally.usage.UsageStager;
import tally.wallet.AutoReloads;

import java.nio.file.Path;
import java.sql.Date;

/** The tasklets of the nightly job; each delegates to its stage's package. */
@Component
public class NightlySteps {

    private static final Logger log = LoggerFactory.getLogger(NightlySteps.class);

    private final UsageStager stager;
    private final RateAndPost rateAndPost;
    private final CreatorEarnings earnings;
    private final AutoReloads reloads;
    private final DailyRollups rollups;
    private final RetentionPurge retention;
    private final NightlySummary summary;
    private final RunReport report;
    private final JdbcTemplate jdbc;
    private final TallySettings settings;

    public NightlySteps(UsageStager stager, RateAndPost rateAndPost, CreatorEarnings earnings, AutoReloads reloads,
                        DailyRollups rollups, RetentionPurge retention, NightlySummary summary, RunReport report,
                        JdbcTemplate jdbc, TallySettings settings) {
        this.stager = stager;
        this.rateAndPost = rateAndPost;
        this.earnings = earnings;
        this.reloads = reloads;
        this.rollups = rollups;
        this.retention = retention;
        this.summary = summary;
        this.report = report;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    static NightlyParameters parameters(ChunkContext context) {
        return NightlyParameters.from(context.getStepContext().getStepExecution().getJobParameters());
    }

    Path runDir(NightlyParameters p) {
        return settings.runDir(NightlyJobConfig.JOB_NAME, p.date().toString());
    }

    /**
     * Reads, checks and stages the day's rows. Until a bucket of the day has been rated, a restart
     * stages again, so a run failed for bad input reads the corrected files; once one has, the
     * staged day is what gets rated (re-staging could move accounts between buckets).
     */
    public RepeatStatus stageUsage(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        if (count("select count(*) from rated_bucket where arrival_date = ?", Date.valueOf(p.date())) > 0) {
            log.info("{}: rating has begun; the day stays as staged", p.runId());
            return RepeatStatus.FINISHED;
        }
        UsageStager.StageResult staged = stager.stage(new UsageStager.Day(p.date(), p.inputDir(), p.allowedLateness(),
                p.maxRejectRate(), RulesLoader.load(settings.rulesDir()), ReferenceData.load(jdbc),
                runDir(p).resolve("scratch"), Runtime.getRuntime().availableProcessors()));
        log.info("{}: {} rows read from {} files, {} accepted ({} duplicates), {} rejected, {} buckets", p.runId(),
                staged.rowsRead(), staged.files(), staged.rowsAccepted(), staged.duplicates(), staged.rejected(),
                staged.buckets());
        contribution.incrementReadCount();
        contribution.incrementWriteCount(staged.rowsAccepted() - staged.duplicates());
        return RepeatStatus.FINISHED;
    }

    /** Rates and posts one account partition's buckets (a database transaction each). */
    public RepeatStatus rateAndPostPartition(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        AccountPartition partition = AccountPartitioner.of(context.getStepContext().getStepExecution());
        RateAndPost.PartitionResult result = rateAndPost.run(p.date(), p.runId(), RulesLoader.load(settings.rulesDir()),
                ReferenceData.load(jdbc), partition);
        log.info("{}: partition {}: {} buckets ({} of other partitions; {} of its own rated before or by another), {} rated, "
                        + "{} capped, {} wallets, {} ledger transactions", p.runId(), partition, result.buckets(), result.helped(),
                result.ownElsewhere(), result.rated(), result.capped(), result.wallets(), result.txnsWritten());
        contribution.incrementWriteCount(result.rated());
        return RepeatStatus.FINISHED;
    }

    /**
     * Once every partition is done: every bucket must be marked rated; the staged rows go, and the
     * planner's statistics take in the day's ledger rows for the steps after.
     */
    public void afterRateAndPost(StepExecution manager) {
        NightlyParameters p = NightlyParameters.from(manager.getJobParameters());
        Date day = Date.valueOf(p.date());
        long rated = count("select count(*) from rated_bucket where arrival_date = ?", day);
        int buckets = rateAndPost.bucketsOf(p.date());
        if (rated != buckets) {
            throw new IllegalStateException(p.runId() + ": " + rated + " of " + buckets + " buckets are rated");
        }
        DayPartitions.stagedChunks(jdbc).drop(p.date());
        DayPartitions.stagedDrops(jdbc).drop(p.date());
        analyze("ledger_txn");
        analyze("ledger_entry");
    }

    /**
     * Autovacuum refreshes statistics in its own time; a day's rows planned on statistics that
     * predate them made the summary's queries nested loops of minutes (bench/run). Runs outside
     * any transaction (the partitioned step's manager has none), so the next queries see them at once.
     */
    private void analyze(String table) {
        jdbc.execute("analyze " + table);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    public RepeatStatus postEarnings(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        int written = earnings.post(p.date(), p.runId(), ReferenceData.load(jdbc));
        log.info("{}: {} creator earnings", p.runId(), written);
        contribution.incrementWriteCount(written);
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
