package tally.partition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.DefaultStepExecutionAggregator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.messaging.MessageChannel;
import tally.infra.BadInputException;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The manager side of one partitioned step: Spring Batch's {@link MessageChannelPartitionHandler}
 * sends a {@link StepExecutionRequest} per partition to the request channel (a {@link QueueChannel}
 * over the JDBC message store) and polls the JobRepository until every partition has ended (no reply
 * channel); a {@link PartitionWatchdog} beside it fails partitions whose worker died. Then:
 * all partitions COMPLETED: the manager step goes on as usual; otherwise the manager step fails with
 * an exception naming each unfinished partition and why (a {@link BadInputException} if every one
 * failed on bad input), and running the job again re-sends only those.
 *
 * <p>A new {@link MessageChannelPartitionHandler} per execution: its state is per step execution.
 */
final class RemotePartitionHandler implements PartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private final RemotePartitioning remote;
    private final String workerStep;
    private final ToIntFunction<StepExecution> gridSize;
    private final Duration timeout;

    RemotePartitionHandler(RemotePartitioning remote, String workerStep, ToIntFunction<StepExecution> gridSize, Duration timeout) {
        this.remote = remote;
        this.workerStep = workerStep;
        this.gridSize = gridSize;
        this.timeout = timeout;
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution manager) throws Exception {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        awaitEarlierRuns(manager.getJobExecutionId(), deadline);

        Map<Long, UUID> sent = new ConcurrentHashMap<>();
        QueueChannel requests = new QueueChannel(new MessageGroupQueue(remote.messageStore(), RemotePartitioning.REQUESTS));
        requests.setBeanName("tally-partition-requests");
        requests.setBeanFactory(remote.beanFactory());
        requests.afterPropertiesSet();
        MessageChannel recording = (message, sendTimeout) -> {
            boolean accepted = requests.send(message, sendTimeout);
            if (accepted && message.getPayload() instanceof StepExecutionRequest request) {
                sent.put(request.getStepExecutionId(), message.getHeaders().getId());
                log.info("{}: sent partition request for step execution {}", workerStep, request.getStepExecutionId());
            }
            return accepted;
        };
        MessageChannelPartitionHandler delegate = new MessageChannelPartitionHandler();
        delegate.setStepName(workerStep);
        int grid = gridSize.applyAsInt(manager);
        if (grid < 1) {
            throw new IllegalArgumentException("grid size " + grid + " for " + workerStep);
        }
        delegate.setGridSize(grid);
        delegate.setMessagingOperations(new MessagingTemplate(recording));
        delegate.setJobRepository(remote.repository()); // results by polling the JobRepository
        delegate.setPollInterval(remote.pollInterval().toMillis());
        delegate.setTimeout(timeout == null ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        delegate.afterPropertiesSet();

        PartitionWatchdog watchdog = new PartitionWatchdog(remote, workerStep, manager.getJobExecutionId(), sent);
        ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-partition-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long every = remote.pollInterval().toMillis();
        watching.scheduleWithFixedDelay(watchdog::tick, every, every, TimeUnit.MILLISECONDS);
        Collection<StepExecution> results;
        try {
            results = delegate.handle(splitter, manager);
        } catch (TimeoutException e) {
            stop(watching);
            throw new IllegalStateException(watchdog.giveUp(timeout), e);
        } finally {
            stop(watching);
        }
        failIfUnsuccessful(manager, results);
        return results;
    }

    private void failIfUnsuccessful(StepExecution manager, Collection<StepExecution> results) {
        List<StepExecution> unsuccessful = results.stream()
                .filter(execution -> execution.getStatus() != BatchStatus.COMPLETED)
                .sorted(Comparator.comparing(StepExecution::getStepName))
                .toList();
        if (unsuccessful.isEmpty()) {
            return;
        }
        // The step fails by exception before PartitionStep aggregates: aggregate the counts here.
        new DefaultStepExecutionAggregator().aggregate(manager, results);
        String badInputPrefix = BadInputException.class.getName() + ": ";
        boolean allBadInput = unsuccessful.stream().allMatch(execution -> cause(execution).startsWith(badInputPrefix));
        String details = unsuccessful.stream()
                .map(execution -> execution.getStepName() + " (step execution " + execution.getId() + ") "
                        + execution.getStatus() + ": " + cause(execution).replace(badInputPrefix, ""))
                .collect(Collectors.joining("; "));
        String message = unsuccessful.size() + " of " + results.size() + " partition(s) of " + workerStep + " did not complete: " + details;
        if (allBadInput) {
            throw new BadInputException(message);
        }
        throw new IllegalStateException(message);
    }

    /** The first line of the partition's exit description: the watchdog's words, or the exception a worker recorded. */
    private static String cause(StepExecution execution) {
        String description = execution.getExitStatus().getExitDescription();
        if (description == null || description.isBlank()) {
            return "no reason recorded";
        }
        return description.strip().lines().findFirst().orElse("").strip();
    }

    /**
     * Before a restart splits: partitions of earlier executions of this job instance that a worker still
     * executes (their lock is held, e.g. the manager JVM died and was recovered while they ran) are
     * waited for, so a partition never runs twice at once; earlier partitions left running with no
     * worker are failed, so the restart can re-send them.
     */
    private void awaitEarlierRuns(long jobExecutionId, long deadline) throws InterruptedException {
        PartitionWatchdog probe = new PartitionWatchdog(remote, workerStep, jobExecutionId, Map.of());
        boolean logged = false;
        while (true) {
            List<PartitionWatchdog.Partition> earlier = remote.jdbc().query("""
                    select se.step_execution_id, se.step_name, se.status
                    from batch_step_execution se join batch_job_execution je on je.job_execution_id = se.job_execution_id
                    where je.job_instance_id = (select job_instance_id from batch_job_execution where job_execution_id = ?)
                      and se.job_execution_id <> ? and starts_with(se.step_name, ?)
                    order by se.step_execution_id""",
                    (rs, i) -> new PartitionWatchdog.Partition(rs.getLong(1), rs.getString(2), BatchStatus.valueOf(rs.getString(3))),
                    jobExecutionId, jobExecutionId, workerStep + ":");
            if (earlier.isEmpty()) {
                return;
            }
            Set<Long> held = PartitionLocks.held(remote.jdbc());
            for (PartitionWatchdog.Partition partition : earlier) {
                if (partition.status().isRunning() && !held.contains(partition.id())
                        && probe.fail(partition, "left " + partition.status() + " by an earlier run; no worker holds it")) {
                    log.warn("{}: partition {} of an earlier run was left {} with no worker; marked FAILED", workerStep,
                            partition, partition.status());
                }
            }
            List<PartitionWatchdog.Partition> live = earlier.stream().filter(p -> held.contains(p.id())).toList();
            if (live.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(workerStep + ": partitions of an earlier run are still running on workers: "
                        + PartitionWatchdog.names(live));
            }
            if (!logged) {
                log.info("{}: waiting for partitions of an earlier run still running on workers: {}", workerStep,
                        PartitionWatchdog.names(live));
                logged = true;
            }
            Thread.sleep(remote.pollInterval().toMillis());
        }
    }

    private static void stop(ScheduledExecutorService watching) {
        watching.shutdown();
        try {
            if (!watching.awaitTermination(1, TimeUnit.MINUTES)) {
                watching.shutdownNow();
            }
        } catch (InterruptedException e) {
            watching.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
