package tally.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.Steps;

/**
 * The nightly job, top-down in flow order. One instance per arrival date (the only identifying
 * parameter); each step is idempotent, so a failed or killed run is finished by running the same
 * command again.
 *
 * <pre>
 *  rate-usage      files of date=D -> validate -> stage -> dedup -> rate (caps) -> usage_event + rated.parquet
 *  post-wallets    per wallet: carried-rounding debits, collected/uncollected, creator earnings -> ledger
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

    @Bean
    public Job nightlyJob(JobRepository repository, PlatformTransactionManager transactions, NightlySteps steps) {
        return new JobBuilder(JOB_NAME, repository)
                .start(Steps.tasklet("rate-usage", repository, transactions, steps::rateUsage))
                .next(Steps.tasklet("post-wallets", repository, transactions, steps::postWallets))
                .next(Steps.tasklet("auto-reload", repository, transactions, steps::autoReload))
                .next(Steps.tasklet("roll-up", repository, transactions, steps::rollUp))
                .next(Steps.tasklet("purge-analytics", repository, transactions, steps::purgeAnalytics))
                .next(Steps.tasklet("summarize", repository, transactions, steps::summarize))
                .next(Steps.tasklet("report", repository, transactions, steps::report))
                .build();
    }
}
