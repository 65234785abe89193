package tally.scheduling;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tally.invoicing.CloseMonthJobConfig;
import tally.invoicing.CloseMonthRun;
import tally.nightly.NightlyJobConfig;
import tally.nightly.NightlyParameters;
import tally.nightly.NightlyRun;
import tally.payouts.PayoutSchedule;
import tally.payouts.Payouts;
import tally.usage.RowValidator;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/**
 * The jobs the scheduler launches, one bean per schedule name of {@code config/schedules.yaml}. A
 * schedule without a bean here is listed but launches nothing ("no job in this build").
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

    /** Month close on the 1st; its business date is the last day of the month that ended. */
    @Bean
    public ScheduledJob closeMonthScheduledJob(CloseMonthRun closeMonth, JdbcTemplate jdbc) {
        return ScheduledJob.of(CloseMonthJobConfig.JOB_NAME, (LocalDate lastDay) -> closeMonth.run(YearMonth.from(lastDay)),
                () -> Optional.ofNullable(jdbc.queryForObject(
                        "select max(business_date) from run_summary where job = ?", LocalDate.class, CloseMonthJobConfig.JOB_NAME))
                        .map(firstDay -> YearMonth.from(firstDay).atEndOfMonth()));
    }

    @Bean
    public ScheduledJob weeklyPayoutsScheduledJob(Payouts payouts, JdbcTemplate jdbc) {
        return payoutJob("payouts-weekly", PayoutSchedule.WEEKLY, payouts, jdbc);
    }

    @Bean
    public ScheduledJob monthlyPayoutsScheduledJob(Payouts payouts, JdbcTemplate jdbc) {
        return payoutJob("payouts-monthly", PayoutSchedule.MONTHLY, payouts, jdbc);
    }

    /**
     * A payout run for its date. A run left INCOMPLETE (a Stripe answer lost) stays due and blocks
     * later dates; a SKIPPED one (no STRIPE_API_KEY) is done: its earnings carry to the next run.
     */
    private static ScheduledJob payoutJob(String name, PayoutSchedule schedule, Payouts payouts, JdbcTemplate jdbc) {
        return ScheduledJob.of(name, (LocalDate date) -> {
            Object status = payouts.run(schedule, date, false).get("status");
            if (!"COMPLETED".equals(status) && !"SKIPPED".equals(status)) {
                throw new IllegalStateException(Payouts.runId(schedule, date) + " ended " + status + "; it stays due");
            }
        }, () -> Optional.ofNullable(jdbc.queryForObject("""
                select max(business_date) from run_summary
                where run_id like ? and summary::jsonb ->> 'status' in ('COMPLETED', 'SKIPPED')""", LocalDate.class,
                Payouts.runIdPrefix(schedule) + "%")));
    }
}
