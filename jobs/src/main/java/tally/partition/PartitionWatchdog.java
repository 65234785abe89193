package tally.partition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs beside a manager step while its partitions execute remotely, and fails the partitions whose
 * worker died, so that the manager never waits for a dead JVM: a partition recorded STARTED whose
 * advisory lock ({@link PartitionLocks}) no session holds, or one whose request a worker took from
 * the channel but never locked. A partition must look abandoned on two checks at least
 * {@code grace} apart; it is then failed in the JobRepository while the watchdog holds its lock (so a
 * worker cannot be starting it at that moment), with an exit message naming it and saying its worker
 * died. The manager's polling then sees it ended, and the manager step fails once the others end;
 * running the job again re-sends only the unfinished partitions.
 */
final class PartitionWatchdog {

    private static final Logger log = LoggerFactory.getLogger(PartitionWatchdog.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    static final String DIED_RUNNING = "its worker died: the partition was STARTED and no session holds its lock"
            + " (the worker JVM ended or lost its database connection)";
    static final String DIED_BEFORE_START = "its worker died: a worker took the partition's request from the channel"
            + " but never started it";

    record Partition(long id, String name, BatchStatus status) {
        @Override
        public String toString() {
            return name + " (step execution " + id + ")";
        }
    }

    private final RemotePartitioning remote;
    private final JdbcTemplate jdbc;
    private final String workerStep;
    private final long jobExecutionId;
    /** Request message id per partition step execution id, recorded once the request is in the channel. */
    private final Map<Long, UUID> sent;
    private final Map<Long, Long> suspectSince = new HashMap<>();
    private final long startedAt = System.nanoTime();
    private long lastProgress = System.nanoTime();

    PartitionWatchdog(RemotePartitioning remote, String workerStep, long jobExecutionId, Map<Long, UUID> sent) {
        this.remote = remote;
        this.jdbc = remote.jdbc();
        this.workerStep = workerStep;
        this.jobExecutionId = jobExecutionId;
        this.sent = sent;
    }

    /** One look: never throws (a database hiccup is retried at the next tick). */
    void tick() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("{}: partition watchdog could not check the workers: {}", workerStep, e.getMessage());
        }
    }

    private void check() {
        List<Partition> unfinished = unfinishedPartitions(jobExecutionId);
        Set<Long> held = PartitionLocks.held(jdbc);
        Set<String> queued = queuedMessageIds();
        long now = System.nanoTime();
        Set<Long> ids = new HashSet<>();
        for (Partition partition : unfinished) {
            ids.add(partition.id());
            String abandoned = abandonment(partition, held, queued);
            if (abandoned == null) {
                suspectSince.remove(partition.id());
                continue;
            }
            Long since = suspectSince.putIfAbsent(partition.id(), now);
            if (since != null && now - since >= remote.grace().toNanos() && fail(partition, abandoned)) {
                log.warn("{}: partition {} failed: {}", workerStep, partition, abandoned);
                suspectSince.remove(partition.id());
            }
        }
        suspectSince.keySet().retainAll(ids);
        if (!unfinished.isEmpty() && now - lastProgress >= PROGRESS_EVERY_NANOS) {
            lastProgress = now;
            logProgress(unfinished, held);
        }
    }

    private String abandonment(Partition partition, Set<Long> held, Set<String> queued) {
        if (held.contains(partition.id())) {
            return null;
        }
        if (partition.status() == BatchStatus.STARTED || partition.status() == BatchStatus.STOPPING) {
            return DIED_RUNNING;
        }
        UUID request = sent.get(partition.id());
        if (request != null && !queued.contains(request.toString())) {
            return DIED_BEFORE_START;
        }
        return null; // still waiting in the channel for a worker
    }

    /**
     * Fails the partition if it is still as seen and nobody holds its lock, holding the lock meanwhile
     * (a transaction-level lock: released at commit, whatever happens). False if it changed or is held.
     */
    boolean fail(Partition partition, String description) {
        Boolean failed = new TransactionTemplate(remote.transactions()).execute(tx -> {
            if (!PartitionLocks.tryLockForTransaction(jdbc, partition.id())) {
                return false;
            }
            StepExecution execution = remote.repository().getStepExecution(partition.id());
            if (execution == null || execution.getStatus() != partition.status()) {
                return false;
            }
            execution.setStatus(BatchStatus.FAILED);
            execution.setExitStatus(ExitStatus.FAILED.addExitDescription(description));
            execution.setEndTime(LocalDateTime.now());
            remote.repository().update(execution);
            return true;
        });
        return Boolean.TRUE.equals(failed);
    }

    /**
     * After the manager's overall timeout: the partitions no worker took are failed and their requests
     * withdrawn from the channel (a restart sends new ones); those still running on a live worker are
     * left to it (a restart waits for them). Returns the failure message.
     */
    String giveUp(Duration timeout) {
        List<Partition> unfinished = unfinishedPartitions(jobExecutionId);
        Set<Long> held = PartitionLocks.held(jdbc);
        List<Partition> neverTaken = new ArrayList<>();
        List<Partition> running = new ArrayList<>();
        List<Partition> dead = new ArrayList<>();
        for (Partition partition : unfinished) {
            if (held.contains(partition.id())) {
                running.add(partition);
            } else if (partition.status() == BatchStatus.STARTING) {
                UUID request = sent.get(partition.id());
                if (fail(partition, "not taken by any worker within the timeout of " + timeout) && request != null) {
                    jdbc.update("delete from int_channel_message where region = ? and message_id = ?",
                            RemotePartitioning.REGION, request.toString());
                }
                neverTaken.add(partition);
            } else {
                fail(partition, DIED_RUNNING);
                dead.add(partition);
            }
        }
        StringBuilder message = new StringBuilder(workerStep + ": " + unfinished.size()
                + " partition(s) not finished within the timeout of " + timeout);
        if (!neverTaken.isEmpty()) {
            message.append("; never taken by a worker (is `./tally worker` running against this database?): ").append(names(neverTaken));
        }
        if (!dead.isEmpty()) {
            message.append("; worker died: ").append(names(dead));
        }
        if (!running.isEmpty()) {
            message.append("; still running on a worker (a restart waits for them): ").append(names(running));
        }
        return message.toString();
    }

    /** This job execution's partitions of the worker step that have not ended. */
    List<Partition> unfinishedPartitions(long jobExecution) {
        return jdbc.query("""
                select step_execution_id, step_name, status from batch_step_execution
                where job_execution_id = ? and starts_with(step_name, ?) and status in ('STARTING', 'STARTED', 'STOPPING')
                order by step_execution_id""",
                (rs, i) -> new Partition(rs.getLong(1), rs.getString(2), BatchStatus.valueOf(rs.getString(3))),
                jobExecution, workerStep + ":");
    }

    private Set<String> queuedMessageIds() {
        return new HashSet<>(jdbc.queryForList("select message_id from int_channel_message where region = ?",
                String.class, RemotePartitioning.REGION));
    }

    private void logProgress(List<Partition> unfinished, Set<Long> held) {
        long running = unfinished.stream().filter(p -> held.contains(p.id())).count();
        Integer workers = jdbc.queryForObject(
                "select count(*) from pg_stat_activity where application_name = ? and datname = current_database()",
                Integer.class, RemotePartitioning.WORKER_APPLICATION_NAME);
        log.info("{}: waiting {} s for {} partition(s): {} running on workers, {} waiting for a worker; {} worker(s) listening",
                workerStep, Duration.ofNanos(System.nanoTime() - startedAt).toSeconds(), unfinished.size(), running,
                unfinished.size() - running, workers);
    }

    static String names(List<Partition> partitions) {
        return partitions.stream().map(Partition::toString).collect(Collectors.joining(", "));
    }
}
