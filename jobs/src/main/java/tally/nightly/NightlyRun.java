package tally.nightly;

import org.springframework.batch.core.job.Job;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tally.cli.Json;
import tally.infra.JobRunner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the nightly job for one date and returns its stored run summary. */
@Service
public class NightlyRun {

    private final JobRunner runner;
    private final Job nightlyJob;
    private final JdbcTemplate jdbc;

    public NightlyRun(JobRunner runner, Job nightlyJob, JdbcTemplate jdbc) {
        this.runner = runner;
        this.nightlyJob = nightlyJob;
        this.jdbc = jdbc;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> run(NightlyParameters parameters) {
        JobRunner.Outcome outcome = runner.run(nightlyJob, parameters.toJobParameters(), parameters.runId());
        List<String> stored = jdbc.queryForList("select summary::text from run_summary where run_id = ?", String.class,
                parameters.runId());
        Map<String, Object> summary = stored.isEmpty() ? new LinkedHashMap<>()
                : new LinkedHashMap<>(Json.mapper().readValue(stored.get(0), Map.class));
        summary.put("status", outcome.alreadyComplete() ? "ALREADY_COMPLETE" : "COMPLETED");
        return summary;
    }

}
