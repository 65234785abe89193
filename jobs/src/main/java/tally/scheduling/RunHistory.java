package tally.scheduling;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tally.cli.Json;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run history from the Spring Batch JobRepository: one row per job execution (a failed date and its
 * successful retry are two rows), with the run's key (its identifying parameters: the business date),
 * and for completed runs the event counts and control-total verdict of its {@code run_summary}.
 */
@Repository
public class RunHistory {

    /** Most rows {@code runs} returns. */
    public static final int MAX_LIMIT = 1000;

    private static final String RUNS = """
            select e.job_execution_id, i.job_name, k.run_key, e.status, e.start_time, e.end_time, e.exit_message,
                   s.summary::text as summary, s.controls_ok
            from batch_job_execution e
            join batch_job_instance i on i.job_instance_id = e.job_instance_id
            cross join lateral (select string_agg(p.parameter_value, ',' order by p.parameter_name) as run_key
                                from batch_job_execution_params p
                                where p.job_execution_id = e.job_execution_id and p.identifying = 'Y') k
            left join run_summary s on s.run_id = i.job_name || ':' || k.run_key and e.status = 'COMPLETED'
            where (cast(? as text) is null or i.job_name = ?)
            order by e.job_execution_id desc
            limit ?
            """;

    private final JdbcTemplate jdbc;

    public RunHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One job execution. {@code counts} and {@code controlsOk} are empty unless it completed with a run summary. */
    public record Run(long executionId, String job, String key, String status, Instant startedAt, Instant endedAt,
                      Optional<Map<String, Object>> counts, Optional<Boolean> controlsOk, String exitMessage) {

        public Optional<Duration> duration() {
            return startedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
        }
    }

    /** The newest {@code limit} executions, of {@code job} only if given, newest first. */
    public List<Run> runs(Optional<String> job, int limit) {
        String name = job.orElse(null);
        return jdbc.query(RUNS, RunHistory::run, name, name, limit);
    }

    /** The latest value of the date parameter {@code dateParameter} among the COMPLETED executions of {@code job}. */
    public Optional<LocalDate> lastCompletedDate(String job, String dateParameter) {
        String date = jdbc.queryForObject("""
                select max(p.parameter_value)
                from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                where i.job_name = ? and e.status = 'COMPLETED' and p.parameter_name = ? and p.identifying = 'Y'
                """, String.class, job, dateParameter);
        return Optional.ofNullable(date).map(LocalDate::parse);
    }

    @SuppressWarnings("unchecked")
    private static Run run(ResultSet rs, int row) throws SQLException {
        String summary = rs.getString("summary");
        Optional<Map<String, Object>> counts = Optional.empty();
        if (summary != null) {
            Map<String, Object> parsed = Json.mapper().readValue(summary, Map.class);
            Map<String, Object> events = (Map<String, Object>) parsed.getOrDefault("events", Map.of());
            Map<String, Object> picked = new LinkedHashMap<>();
            for (String key : List.of("read", "rated", "duplicates", "rejected", "capped")) {
                if (events.containsKey(key)) {
                    picked.put(key, events.get(key));
                }
            }
            counts = Optional.of(picked);
        }
        Boolean controlsOk = summary == null ? null : rs.getBoolean("controls_ok");
        return new Run(rs.getLong("job_execution_id"), rs.getString("job_name"), rs.getString("run_key"),
                rs.getString("status"), instant(rs.getTimestamp("start_time")), instant(rs.getTimestamp("end_time")),
                counts, Optional.ofNullable(controlsOk), rs.getString("exit_message"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
