package tally.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.Steps;
import tally.partition.PartitionedSteps;
import tally.partition.RemotePartitioning;

/**
 * The nightly job, top-down in flow order. One instance per arrival date (the only identifying
 * parameter); each step is idempotent, so a failed or killed run is finished by running the same
 * command again. Rating and posting run per account partition (job parameter {@code partitions}),
 * each partition walking its account buckets one database transaction at a time: all of an
 * account's events, caps, rounding and postings are in one bucket, so the ledger is the same for
 * any partition count (docs/nightly-v2.md).
 *
 * <pre>
 *  stage-usage     files of date=D, one thread per input unit -> row, reference and price checks
 *                  (rejects with reasons; too many: the run fails, nothing rated or posted) ->
 *                  accepted rows by account bucket (staged_chunk) -> dedup by event_id within the day
 *                  and against the days of each id's window (event_id_set) -> the day's id set
 *  rate-and-post   per partition, per bucket: staged rows -> rate (caps) -> rated segments
 *                  (usage_segment), bot spend, analytics parts, plan counters -> carried-rounding
 *                  debits, collected / uncollected -> bucket marked rated; then the staged rows go
 *  post-earnings   one creator earning per (tool, usage day) of what the run's tool debits collected
 *  auto-reload     per wallet the run debited, below its threshold: off-session Stripe charge -> deposit (max 3)
 *  then, side by side (neither reads what the other writes):
 *    roll-up         daily bot / agent / tool analytics for every (resource, day) touched, from the parts
 *    purge-analytics rollups older than each account's retention (by tier) before the run's date
 *  and
 *    summarize       control totals, run summary, rejects.csv, rated-events/*.parquet
 *  report          report.html: charts and figures of the run (reads both branches' results)
 * </pre>
 *
 * <p>The two branches run at once because each leaves a core idle: roll-up is a few single-threaded
 * queries, and the summary's last seconds are its ledger checks alone (docs/performance.md, session 8).
 */
@Configuration
public class NightlyJobConfig {

    public static final String JOB_NAME = "nightly";
    public static final String RATE_AND_POST = "rate-and-post";
    /** The worker step of the partitioned step (by name, for worker JVMs too). */
    public static final String RATE_AND_POST_PARTITION = "rate-and-post-partition";

    @Bean
    public Job nightlyJob(JobRepository repository, PlatformTransactionManager transactions, NightlySteps steps,
                          RemotePartitioning remote) {
        Flow analytics = new FlowBuilder<SimpleFlow>("analytics")
                .start(Steps.tasklet("roll-up", repository, transactions, steps::rollUp))
                .next(Steps.tasklet("purge-analytics", repository, transactions, steps::purgeAnalytics))
                .build();
        Flow controls = new FlowBuilder<SimpleFlow>("controls")
                .start(Steps.tasklet("summarize", repository, transactions, steps::summarize))
                .build();
        Flow analyticsAndControls = new FlowBuilder<SimpleFlow>("analytics-and-controls")
                .split(new SimpleAsyncTaskExecutor("nightly-")).add(analytics, controls)
                .build();
        return new JobBuilder(JOB_NAME, repository)
                .flow(Steps.rerunnableTasklet("stage-usage", repository, transactions, steps::stageUsage))
                .next(PartitionedSteps.byAccount(RATE_AND_POST, rateAndPostPartition(repository, transactions, steps),
                        repository, remote, steps::afterRateAndPost))
                .next(Steps.tasklet("post-earnings", repository, transactions, steps::postEarnings))
                .next(Steps.tasklet("auto-reload", repository, transactions, steps::autoReload))
                .next(analyticsAndControls)
                .next(Steps.tasklet("report", repository, transactions, steps::report))
                .end()
                .build();
    }

    @Bean
    public Step rateAndPostPartition(JobRepository repository, PlatformTransactionManager transactions, NightlySteps steps) {
        return Steps.tasklet(RATE_AND_POST_PARTITION, repository, transactions, steps::rateAndPostPartition);
    }
}
