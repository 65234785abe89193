package tally.invoicing;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.YearMonth;

/**
 * The month-close job: one instance per month (its only, identifying parameter), so a month closes
 * at most once; a failed run is finished by running the same command again.
 *
 * <pre>
 *  issue-invoices   per account: usage -> quotas, grace, overage; plan fee; packages; late adjustments
 *                   for months already invoiced; wallet usage -> invoice + lines (immutable)
 * </pre>
 */
@Configuration
public class CloseMonthJobConfig {

    public static final String JOB_NAME = "close-month";

    public static String runId(YearMonth month) {
        return JOB_NAME + ":" + month;
    }

    public static JobParameters parameters(YearMonth month) {
        return new JobParametersBuilder().addString("month", month.toString(), true).toJobParameters();
    }

    @Bean
    public Job closeMonthJob(JobRepository repository, PlatformTransactionManager transactions, MonthClose monthClose) {
        return new JobBuilder(JOB_NAME, repository)
                .start(new StepBuilder("issue-invoices", repository).tasklet((contribution, context) -> {
                    YearMonth month = YearMonth.parse((String) context.getStepContext().getJobParameters().get("month"));
                    contribution.incrementWriteCount(monthClose.close(month, runId(month)));
                    return RepeatStatus.FINISHED;
                }, transactions).build())
                .build();
    }
}
