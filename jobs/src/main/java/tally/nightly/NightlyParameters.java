package tally.nightly;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import tally.partition.AccountPartitionHandler;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The parameters of one nightly run. Only the arrival date identifies the job instance, so a date
 * runs to completion at most once; the rest may differ on a restart.
 */
public record NightlyParameters(LocalDate date, Path inputDir, BigDecimal maxRejectRate, Duration allowedLateness,
                                int partitions, boolean remote) {

    public static final BigDecimal DEFAULT_MAX_REJECT_RATE = new BigDecimal("0.01");

    /** With the default partition count, partitions in this JVM. */
    public NightlyParameters(LocalDate date, Path inputDir, BigDecimal maxRejectRate, Duration allowedLateness) {
        this(date, inputDir, maxRejectRate, allowedLateness, AccountPartitionHandler.DEFAULT_PARTITIONS, false);
    }

    public String runId() {
        return "nightly:" + date;
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("date", date.toString(), true)
                .addString("input", inputDir.toString(), false)
                .addString("maxRejectRate", maxRejectRate.toPlainString(), false)
                .addLong("latenessDays", allowedLateness.toDays(), false)
                .addLong(AccountPartitionHandler.PARTITIONS, (long) partitions, false)
                .addString(AccountPartitionHandler.REMOTE, String.valueOf(remote), false)
                .toJobParameters();
    }

    public static NightlyParameters from(JobParameters jobParameters) {
        return new NightlyParameters(LocalDate.parse(jobParameters.getString("date")),
                Path.of(jobParameters.getString("input")),
                new BigDecimal(jobParameters.getString("maxRejectRate")),
                Duration.ofDays(jobParameters.getLong("latenessDays")),
                jobParameters.getLong(AccountPartitionHandler.PARTITIONS, (long) AccountPartitionHandler.DEFAULT_PARTITIONS).intValue(),
                "true".equals(jobParameters.getString(AccountPartitionHandler.REMOTE)));
    }
}
