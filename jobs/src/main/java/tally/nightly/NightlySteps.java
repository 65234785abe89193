package tally.nightly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.analytics.DailyRollups;
import tally.analytics.RetentionPurge;
import tally.infra.BadInputException;
import tally.infra.TallyConfig.TallySettings;
import tally.ledger.UsagePosting;
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
    private final TallySettings settings;

    public NightlySteps(UsageStager stager, UsageRating rating, UsagePosting posting, AutoReloads reloads,
                        DailyRollups rollups, RetentionPurge retention, NightlySummary summary, RunReport report,
                        JdbcTemplate jdbc, TallySettings settings) {
        this.stager = stager;
        this.rating = rating;
        this.posting = posting;
        this.reloads = reloads;
        this.rollups = rollups;
        this.retention = retention;
        this.summary = summary;
        this.report = report;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    static NightlyParameters parameters(ChunkContext context) {
        return NightlyParameters.from(context.getStepContext().getJobParameters());
    }

    Path runDir(NightlyParameters p) {
        return settings.runDir(NightlyJobConfig.JOB_NAME, p.date().toString());
    }

    /** Read, validate, stage, dedup and rate the day in one transaction; too many rejects roll it all back. */
    public RepeatStatus rateUsage(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        RatingRules rules = RulesLoader.load(settings.rulesDir());
        ReferenceData reference = ReferenceData.load(jdbc);
        UsageStager.StageResult staged = stager.stage(p.inputDir(), p.date(), p.allowedLateness());
        UsageRating.RatingResult rated = rating.rate(p.date(), rules, reference, runDir(p).resolve("rated-events.parquet"));
        long rejected = staged.rowsRejected() + rated.rejected();
        log.info("{}: {} rows read from {} files, {} rated, {} duplicates, {} rejected, {} capped", p.runId(),
                staged.rowsRead(), staged.files(), rated.rated(), rated.duplicates(), rejected, rated.capped());
        if (staged.rowsRead() > 0) {
            BigDecimal rate = BigDecimal.valueOf(rejected).divide(BigDecimal.valueOf(staged.rowsRead()), MathContext.DECIMAL64);
            if (rate.compareTo(p.maxRejectRate()) > 0) {
                throw new BadInputException(rejected + " of " + staged.rowsRead() + " rows of " + p.inputDir().resolve("date=" + p.date())
                        + " were rejected (" + rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%), over the limit of "
                        + p.maxRejectRate().movePointRight(2).stripTrailingZeros().toPlainString()
                        + "% (option --max-reject-rate); nothing was posted. First rejects: " + firstRejects(p));
            }
        }
        contribution.incrementWriteCount(rated.rated());
        return RepeatStatus.FINISHED;
    }

    private String firstRejects(NightlyParameters p) {
        return String.join("; ", jdbc.queryForList("""
                select source_file || ' row ' || source_row || ': ' || reason || coalesce(' (' || detail || ')', '')
                from rejected_event where arrival_date = ? order by source_file, source_row limit 3""", String.class, p.date()));
    }

    public RepeatStatus postWallets(StepContribution contribution, ChunkContext context) {
        NightlyParameters p = parameters(context);
        UsagePosting.PostingResult result = posting.post(p.date(), p.runId(), RulesLoader.load(settings.rulesDir()),
                ReferenceData.load(jdbc), tally.partition.AccountPartition.ALL);
        log.info("{}: {} wallets, {} ledger transactions written", p.runId(), result.wallets(), result.txnsWritten());
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
