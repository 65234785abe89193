package tally.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.Steps;
import tally.partition.PartitionedSteps;
import tally.partition.RemotePartitioning;

/**
 * The nightly job, top-down in flow order. One instance per arrival date (the only identifying
 * parameter); each step is idempotent, so a failed or killed run is finished by running the same
 * command again. Rating and posting run per account partition (job parameter {@code partitions}):
 * all of an account's events, caps, rounding and postings are in one partition, so the ledger is
 * the same for any partition count.
 *
 * <pre>
 *  stage-usage     files of date=D -> validate -> the day's staged_event table (COPY); rejects with reasons
 *  rate-usage      per partition: dedup -> rate (caps) -> the day's usage_event table (no indexes yet)
 *                  + rated-events/part-*.parquet; then too many rejects of the day: nothing posted, the
 *                  run fails; else staged counts kept (staged_day), staged rows dropped, the day's
 *                  table indexed and attached to usage_event
 *  post-wallets    per partition, per wallet: carried-rounding debits, collected/uncollected, creator earnings
 *  auto-reload     per wallet the run debited, below its threshold: off-session Stripe charge -> deposit (max 3)
 *  roll-up         daily bot / agent / tool analytics for every (resource, day) touched
 *  purge-analytics rollups older than each account's retention (by tier) before the run's date
 *  summarize       control totals, run summary, rejects.csv
 *  report          report.html: charts and figures of the run
 * </pre>
 */
@Configuration
public class NightlyJobConfig {

    public static final String JOB_NAME = "nightly";
    public static final String RATE_USAGE = "rate-usage";
    /** The worker steps of the partitioned steps (by name, for worker JVMs too). */
    public static final String RATE_PARTITION = "rate-usage-partition";
    public static final String POST_PARTITION = "post-wallets-partition";

    @Bean
    public Job nightlyJob(JobRepository repository, PlatformTransactionManager transactions, NightlySteps steps,
                          RemotePartitioning remote) {
        return new JobBuilder(JOB_NAME, repository)
                .start(Steps.rerunnableTasklet("stage-usage", repository, transactions, steps::stageUsage))
                .next(PartitionedSteps.byAccount(RATE_USAGE, ratePartition(repository, transactions, steps), repository,
                        remote, steps::afterRating))
                .next(PartitionedSteps.byAccount("post-wallets", postPartition(repository, transactions, steps), repository,
                        remote, steps::afterPosting))
                .next(Steps.tasklet("auto-reload", repository, transactions, steps::autoReload))
                .next(Steps.tasklet("roll-up", repository, transactions, steps::rollUp))
                .next(Steps.tasklet("purge-analytics", repository, transactions, steps::purgeAnalytics))
                .next(Steps.tasklet("summarize", repository, transactions, steps::summarize))
                .next(Steps.tasklet("report", repository, transactions, steps::report))
                .build();
    }

    /** Runs again whenever its manager step does (after a reject-limit failure every partition is rated anew). */
    @Bean
    public Step ratePartition(JobRepository repository,
                              PlatformTransactionManager transactions, NightlySteps steps) {
        return Steps.rerunnableTasklet(RATE_PARTITION, repository, transactions, steps::ratePartition);
    }

    @Bean
    public Step postPartition(JobRepository repository,
                              PlatformTransactionManager transactions, NightlySteps steps) {
        return Steps.tasklet(POST_PARTITION, repository, transactions, steps::postPartition);
    }
}
