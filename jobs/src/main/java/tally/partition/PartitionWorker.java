package tally.partition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.integration.jdbc.channel.PostgresChannelMessageTableSubscriber;
import org.springframework.integration.jdbc.channel.PostgresSubscribableChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker JVM ({@code ./tally worker}): takes partition requests from the channel and executes
 * each with Spring Batch's {@link StepExecutionRequestHandler} against the worker steps of this
 * application (every {@link Step} bean, found by its name).
 *
 * <p>Requests arrive through a {@link PostgresSubscribableChannel}: PostgreSQL's LISTEN/NOTIFY (the
 * V10 trigger) wakes the worker ({@link PostgresChannelMessageTableSubscriber}, on an unpooled
 * connection), which then polls the {@code INT_CHANNEL_MESSAGE} table; it also polls every
 * {@code tally.partition.worker-poll} in case a notification was missed, and only polls if the
 * connection cannot listen. A poll is PostgreSQL's {@code DELETE ... WHERE CTID = (SELECT ... FOR UPDATE
 * SKIP LOCKED LIMIT 1) RETURNING}, committed at once: each request is taken by exactly one worker, and
 * is gone from the channel once taken (a worker that dies with it leaves the partition to the
 * manager's watchdog and the next manager run).
 *
 * <p>Per partition: take its advisory lock ({@link PartitionLocks}) on a connection of its own, check
 * that it is still to be run (STARTING, in a running job execution; a request left over from an
 * earlier run is dropped), execute, release. {@link #stop()} takes no new request and returns once the
 * running partitions have ended.
 */
public final class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    private final RemotePartitioning remote;
    private final int threads;
    private final JobRepository repository;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger unsuccessful = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicLong running = new AtomicLong();

    private Map<String, Step> steps;
    private StepExecutionRequestHandler requestHandler;
    private ThreadPoolExecutor dispatcher;
    private ScheduledExecutorService fallbackPoller;
    private PostgresChannelMessageTableSubscriber subscriber;
    private PostgresSubscribableChannel channel;
    private final MessageHandler handler = this::handle;
    private boolean push;

    PartitionWorker(RemotePartitioning remote, int threads) {
        this.remote = remote;
        this.threads = threads;
        this.repository = remote.repository();
    }

    /** Connects: from now on the worker takes requests, on its own threads. */
    public void start() {
        steps = new LinkedHashMap<>();
        remote.steps().orderedStream().forEach(step -> {
            Step previous = steps.putIfAbsent(step.getName(), step);
            if (previous != null && previous != step) {
                log.warn("two Step beans are named {}; partitions of that name run the first", step.getName());
            }
        });
        if (steps.isEmpty()) {
            log.warn("this build has no Step beans: every partition request will be failed");
        }
        StepLocator locator = steps::get;
        requestHandler = new StepExecutionRequestHandler();
        requestHandler.setJobRepository(repository);
        requestHandler.setStepLocator(locator);

        // Each thread drains the channel (poll, run, poll again until empty); one more wake-up may wait
        // while all threads are busy: a draining thread takes any request that arrives meanwhile anyway.
        AtomicInteger threadCount = new AtomicInteger();
        dispatcher = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), runnable -> {
            Thread thread = new Thread(runnable, "tally-worker-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());

        subscriber = new PostgresChannelMessageTableSubscriber(remote::listeningConnection);
        push = canListen();
        channel = new PostgresSubscribableChannel(remote.messageStore(), RemotePartitioning.REQUESTS, subscriber);
        channel.setBeanName("tally-partition-requests");
        channel.setBeanFactory(remote.beanFactory());
        channel.setDispatcherExecutor(dispatcher);
        channel.setRetryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0))); // a partition runs once per request
        channel.setErrorHandler(e -> log.error("partition request could not be taken: {}", e.getMessage(), e));
        channel.afterPropertiesSet();
        if (push) {
            try {
                subscriber.start();
            } catch (IllegalStateException e) {
                log.warn("could not LISTEN for new partition requests ({}); polling instead", e.getMessage());
                subscriber.stop();
                push = false;
            }
        }
        channel.subscribe(handler); // also polls once: requests sent before the worker started

        Duration every = remote.workerPoll();
        fallbackPoller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-worker-poll");
            thread.setDaemon(true);
            return thread;
        });
        fallbackPoller.scheduleWithFixedDelay(channel::notifyUpdate, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("worker ready: {} thread(s), steps {}, {}", threads, steps.keySet(),
                push ? "woken by PostgreSQL notifications (and polling every " + every.toSeconds() + " s)"
                        : "polling the channel every " + every.toSeconds() + " s");
    }

    /** Takes no new request; returns once the partitions running now have ended. */
    public void stop() {
        if (channel == null) {
            return;
        }
        fallbackPoller.shutdownNow();
        if (running.get() > 0) {
            log.info("stopping: waiting for {} running partition(s) to end", running.get());
        }
        channel.unsubscribe(handler); // waits for the dispatch in progress (the channel's lock); no poll after it
        if (push) {
            subscriber.stop();
        }
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("worker stopped: {} partition(s) completed, {} not, {} stale request(s) dropped",
                completed.get(), unsuccessful.get(), dropped.get());
        channel = null;
    }

    /** What this worker did: partitions completed, ended otherwise, stale requests dropped. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("partitions_completed", completed.get());
        counts.put("partitions_not_completed", unsuccessful.get());
        counts.put("stale_requests_dropped", dropped.get());
        return counts;
    }

    private boolean canListen() {
        try {
            remote.listeningConnection().close();
            return true;
        } catch (SQLException | RuntimeException e) {
            log.warn("this database connection cannot LISTEN for new partition requests ({}); polling instead", e.getMessage());
            return false;
        }
    }

    /** One request, taken from the channel by this worker only. Never throws: the channel must not retry it. */
    private void handle(Message<?> message) {
        if (!(message.getPayload() instanceof StepExecutionRequest request)) {
            log.warn("dropped a message that is not a partition request: {}", message.getPayload());
            return;
        }
        long id = request.getStepExecutionId();
        running.incrementAndGet();
        try (Connection lock = remote.unpooledConnection(RemotePartitioning.WORKER_APPLICATION_NAME + "-partition")) {
            PartitionLocks.lock(lock, id);
            try {
                run(request, id);
            } finally {
                PartitionLocks.unlock(lock, id);
            }
        } catch (Exception e) {
            unsuccessful.incrementAndGet();
            log.error("partition request {} failed in this worker: {}", request, e.getMessage(), e);
        } finally {
            running.decrementAndGet();
        }
    }

    private void run(StepExecutionRequest request, long id) {
        StepExecution execution = repository.getStepExecution(id);
        if (execution == null) {
            dropped.incrementAndGet();
            log.warn("dropped request {}: no such step execution", request);
            return;
        }
        if (execution.getStatus() != BatchStatus.STARTING || !execution.getJobExecution().getStatus().isRunning()) {
            dropped.incrementAndGet();
            log.info("dropped request {}: the partition is {} and its job execution {} (a request left over from an earlier run)",
                    request, execution.getStatus(), execution.getJobExecution().getStatus());
            return;
        }
        String partition = execution.getStepName() + " (step execution " + id + ")";
        if (!steps.containsKey(request.getStepName())) {
            failUnstarted(execution, "no step named " + request.getStepName() + " in this worker's build (steps: " + steps.keySet() + ")");
            unsuccessful.incrementAndGet();
            log.error("partition {}: no step named {} here; marked FAILED", partition, request.getStepName());
            return;
        }
        log.info("partition {} started", partition);
        long started = System.nanoTime();
        StepExecution result = requestHandler.handle(request);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (result.getStatus() == BatchStatus.COMPLETED) {
            completed.incrementAndGet();
        } else {
            unsuccessful.incrementAndGet();
            recordIfUnrecorded(result);
        }
        log.info("partition {} ended {} in {} ms", partition, result.getStatus(), took.toMillis());
    }

    /**
     * {@link StepExecutionRequestHandler} sets FAILED on an exception that escaped the step without
     * saving it: save it unless the step already recorded an end.
     */
    private void recordIfUnrecorded(StepExecution result) {
        StepExecution stored = repository.getStepExecution(result.getId());
        if (stored == null || !stored.getStatus().isRunning()) {
            return;
        }
        stored.setStatus(result.getStatus());
        stored.setExitStatus(ExitStatus.FAILED.addExitDescription(result.getFailureExceptions().isEmpty()
                ? "the worker could not finish it" : result.getFailureExceptions().get(0).toString()));
        stored.setEndTime(LocalDateTime.now());
        repository.update(stored);
    }

    private void failUnstarted(StepExecution execution, String reason) {
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
        execution.setEndTime(LocalDateTime.now());
        repository.update(execution);
    }
}
