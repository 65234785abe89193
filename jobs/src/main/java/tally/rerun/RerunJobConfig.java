package tally.rerun;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.Steps;

/**
 * The finance rerun job, in flow order. Identified by (from, to, rules version): the same rerun
 * completes once; after a crash the same command resumes it.
 *
 * <pre>
 *  rerate             usage days from..to re-rated with today's rules -> usage_event (one transaction)
 *  post-corrections   per wallet: the differences as correction debits / refunds -> ledger
 *  roll-up            daily analytics of the period recomputed
 *  summarize          corrections and ledger invariants -> run_summary
 * </pre>
 */
@Configuration
public class RerunJobConfig {

    public static final String JOB_NAME = "rerun";

    @Bean
    public Job rerunJob(JobRepository repository, PlatformTransactionManager transactions, RerunService rerun) {
        return new JobBuilder(JOB_NAME, repository)
                .start(Steps.tasklet("rerate", repository, transactions,
                        (c, ctx) -> done(() -> rerun.rerate(parameters(ctx)))))
                .next(Steps.tasklet("post-corrections", repository, transactions,
                        (c, ctx) -> done(() -> rerun.postCorrections(parameters(ctx), true))))
                .next(Steps.tasklet("roll-up", repository, transactions,
                        (c, ctx) -> done(() -> rerun.rollUp(parameters(ctx)))))
                .next(Steps.tasklet("summarize", repository, transactions,
                        (c, ctx) -> done(() -> rerun.summarize(parameters(ctx)))))
                .build();
    }

    private static RerunParameters parameters(ChunkContext context) {
        return RerunParameters.from(context.getStepContext().getJobParameters());
    }

    private static RepeatStatus done(Runnable work) {
        work.run();
        return RepeatStatus.FINISHED;
    }

}
