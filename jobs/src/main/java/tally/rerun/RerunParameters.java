package tally.rerun;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import java.time.LocalDate;
import java.util.Map;

/** A finance rerun: the usage days to re-rate and the rules version it applies (both identify the run). */
public record RerunParameters(LocalDate from, LocalDate to, String rulesVersion) {

    public String runId() {
        return "rerun:" + from + ".." + to + "@" + rulesVersion;
    }

    public JobParameters toJobParameters() {
        return new JobParametersBuilder()
                .addString("from", from.toString(), true)
                .addString("to", to.toString(), true)
                .addString("rulesVersion", rulesVersion, true)
                .toJobParameters();
    }

    public static RerunParameters from(Map<String, Object> jobParameters) {
        return new RerunParameters(LocalDate.parse((String) jobParameters.get("from")),
                LocalDate.parse((String) jobParameters.get("to")), (String) jobParameters.get("rulesVersion"));
    }
}
