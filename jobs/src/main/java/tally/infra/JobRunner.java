package tally.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Launches a Spring Batch job whose identity is its business date, so that a date runs to
 * completion at most once. While it runs it holds a PostgreSQL advisory lock named after the job
 * instance: a second launcher of the same instance fails fast, and an execution left STARTED by a
 * killed process (nobody holds the lock) is marked failed with {@code JobOperator.recover} and
 * restarted from its first unfinished step.
 *
 * <p>{@link #stopRunning()} asks the executions this process is running to stop after their current
 * step (the scheduler's clean shutdown); such an execution ends STOPPED and restarts like a failed one.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator operator;
    private final JobRepository repository;
    private final DataSource dataSource;
    private final Map<String, Launch> running = new ConcurrentHashMap<>();

    private record Launch(Job job, JobParameters parameters) {
    }

    public JobRunner(JobOperator operator, JobRepository repository, DataSource dataSource) {
        this.operator = operator;
        this.repository = repository;
        this.dataSource = dataSource;
    }

    /** How a launch ended. {@code alreadyComplete}: the instance had completed before; nothing ran. */
    public record Outcome(JobExecution execution, boolean alreadyComplete) {
    }

    public Outcome run(Job job, JobParameters parameters, String instanceKey) {
        try (ClusterLock lock = ClusterLock.tryAcquire(dataSource, instanceKey).orElseThrow(
                () -> new IllegalStateException(instanceKey + " is already running in another process"))) {
            running.put(instanceKey, new Launch(job, parameters));
            try {
                recoverAbandoned(job, parameters, instanceKey);
                JobExecution execution = operator.start(job, parameters);
                failIfUnsuccessful(execution, instanceKey);
                return new Outcome(execution, false);
            } catch (JobInstanceAlreadyCompleteException e) {
                return new Outcome(repository.getLastJobExecution(job.getName(), parameters), true);
            } finally {
                running.remove(instanceKey);
            }
        } catch (BadInputException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(instanceKey + " could not be launched: " + e.getMessage(), e);
        }
    }

    /** Asks every execution launched by this process and still running to stop once its current step ends. */
    public void stopRunning() {
        running.forEach((instanceKey, launch) -> {
            JobExecution execution = repository.getLastJobExecution(launch.job().getName(), launch.parameters());
            if (execution == null || !execution.isRunning()) {
                return;
            }
            try {
                operator.stop(execution);
                log.info("{}: asked execution {} to stop after its current step", instanceKey, execution.getId());
            } catch (Exception e) {
                log.warn("{}: execution {} could not be asked to stop: {}", instanceKey, execution.getId(), e.getMessage());
            }
        });
    }

    private void recoverAbandoned(Job job, JobParameters parameters, String instanceKey) {
        JobExecution last = repository.getLastJobExecution(job.getName(), parameters);
        if (last != null && last.getStatus().isRunning()) {
            log.warn("{}: execution {} was left {} by a process that stopped; recovering it and restarting",
                    instanceKey, last.getId(), last.getStatus());
            operator.recover(last);
        }
    }

    private static void failIfUnsuccessful(JobExecution execution, String instanceKey) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return;
        }
        for (Throwable failure : execution.getAllFailureExceptions()) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof BadInputException bad) {
                    throw bad;
                }
            }
        }
        Throwable first = execution.getAllFailureExceptions().stream().findFirst().orElse(null);
        throw new IllegalStateException(instanceKey + " ended " + execution.getStatus()
                + (first == null ? "" : ": " + first.getMessage()) + "; run the same command again to resume it", first);
    }

}
