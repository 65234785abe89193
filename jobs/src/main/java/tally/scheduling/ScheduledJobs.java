package tally.scheduling;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tally.nightly.NightlyJobConfig;
import tally.nightly.NightlyParameters;
import tally.nightly.NightlyRun;
import tally.usage.RowValidator;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The jobs the scheduler launches, one bean per schedule name of {@code config/schedules.yaml}. A
 * schedule without a bean here is listed but launches nothing ("no job in this build").
 *
 * <p>Hooks for the jobs built elsewhere (one bean each, the schedules already exist):
 * {@code close-month}: {@code ScheduledJob.of("close-month", d -> monthClose.run(YearMonth.from(d)), ...)};
 * {@code payouts-weekly} / {@code payouts-monthly}: {@code ScheduledJob.of("payouts-weekly", d -> payouts.run(WEEKLY, d), ...)}.
 */
@Configuration
public class ScheduledJobs {

    /** Nightly rating of arrival date D, reading {@code <tally.input>/date=D}, with the default limits. */
    @Bean
    public ScheduledJob nightlyScheduledJob(NightlyRun nightly, RunHistory history,
                                            @Value("${tally.input:input}") String input) {
        Path inputDir = Path.of(input).toAbsolutePath().normalize();
        return ScheduledJob.of(NightlyJobConfig.JOB_NAME,
                (LocalDate date) -> nightly.run(new NightlyParameters(date, inputDir,
                        NightlyParameters.DEFAULT_MAX_REJECT_RATE, RowValidator.DEFAULT_LATENESS)),
                () -> history.lastCompletedDate(NightlyJobConfig.JOB_NAME, "date"));
    }
}
