package tally.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tally.scheduling.CatchUpPlanner.JobState;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs whatever is due: for each schedule in file order, its job's due business dates oldest first
 * ({@link CatchUpPlanner}). A failed date stops its job's later dates (and, through {@code after},
 * the jobs waiting for it) until a later wake-up runs it successfully. Every scheduler wake-up (a cron
 * fire, or the start of a node) calls {@link #runDue}; the scheduler never runs two at once in the
 * cluster, and a date that completed is never run again.
 */
@Service
public class CatchUp {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    private final Map<String, ScheduledJob> jobs;
    private final Clock clock;
    private volatile boolean stopping;

    public CatchUp(List<ScheduledJob> jobs, Clock clock) {
        this.jobs = jobs.stream().collect(Collectors.toMap(ScheduledJob::name, Function.identity()));
        this.clock = clock;
    }

    /** What a wake-up did with one date. */
    public record Outcome(String job, LocalDate date, boolean completed, String error) {
    }

    public Optional<ScheduledJob> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** Runs every due date of every schedule that has a job in this build; returns what ran, in order. */
    public List<Outcome> runDue(ScheduleConfig config) {
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, JobState> states = new HashMap<>();
        for (Schedule schedule : config.schedules()) {
            ScheduledJob job = jobs.get(schedule.name());
            if (job == null) {
                continue;
            }
            Optional<JobState> after = schedule.after().map(states::get);
            if (schedule.after().isPresent() && after.isEmpty()) {
                continue; // waits for a job this build does not have
            }
            List<LocalDate> due = CatchUpPlanner.due(state(schedule, job), after, clock.instant(), config.maxRunsPerJob());
            int completed = 0;
            for (LocalDate date : due) {
                if (stopping) {
                    return outcomes;
                }
                Outcome outcome = launch(job, date);
                outcomes.add(outcome);
                if (!outcome.completed()) {
                    if (stopping) {
                        log.info("{} {} was stopped by the shutdown; it resumes on the next start", job.name(), date);
                        return outcomes;
                    }
                    log.error("{} {} failed; its later dates wait until it succeeds: {}", job.name(), date, outcome.error());
                    break;
                }
                completed++;
            }
            if (completed == config.maxRunsPerJob()) {
                log.warn("{}: ran {} dates, the most per wake-up (catch_up.max_runs_per_job); any later due dates run on the next wake-up",
                        job.name(), completed);
            }
            states.put(schedule.name(), state(schedule, job));
        }
        return outcomes;
    }

    /** No further date starts after this; the scheduler is shutting down. */
    public void stop() {
        stopping = true;
    }

    private static JobState state(Schedule schedule, ScheduledJob job) {
        return new JobState(schedule, job.lastCompletedDate());
    }

    private static Outcome launch(ScheduledJob job, LocalDate date) {
        log.info("scheduler: running {} for {}", job.name(), date);
        try {
            job.launch(date);
            return new Outcome(job.name(), date, true, null);
        } catch (RuntimeException e) {
            return new Outcome(job.name(), date, false, e.getMessage());
        }
    }
}
