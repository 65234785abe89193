package tally.nightly;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * The parameters of one nightly run. Only the arrival date identifies the job instance, so a date
 * runs to completion at most once; the rest may differ on a restart.
 */
public record NightlyParameters(LocalDate date, Path inputDir, BigDecimal maxRejectRate, Duration allowedLateness) {

    public static final BigDecimal DEFAULT_MAX_REJECT_RATE = new BigDecimal("0.01");

    public String runId() {
        return "nightly:" + date;
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("date", date.toString(), true)
                .addString("input", inputDir.toString(), false)
                .addString("maxRejectRate", maxRejectRate.toPlainString(), false)
                .addLong("latenessDays", allowedLateness.toDays(), false)
                .toJobParameters();
    }

    public static NightlyParameters from(Map<String, Object> jobParameters) {
        return new NightlyParameters(LocalDate.parse((String) jobParameters.get("date")),
                Path.of((String) jobParameters.get("input")),
                new BigDecimal((String) jobParameters.get("maxRejectRate")),
                Duration.ofDays((Long) jobParameters.get("latenessDays")));
    }
}
