package tally.partition;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import java.util.Collection;

/**
 * Runs a partitioned step's account partitions. How many partitions there are is a job parameter
 * ({@link #PARTITIONS}, read per execution, so one job definition serves every count); they run
 * on that many threads of this JVM, or, when the job parameter {@link #REMOTE} is true, in
 * {@code ./tally worker} JVMs ({@link RemotePartitioning}).
 */
public final class AccountPartitionHandler implements PartitionHandler {

    /** Job parameter: the number of account partitions (default {@link #DEFAULT_PARTITIONS}). */
    public static final String PARTITIONS = "partitions";
    public static final int DEFAULT_PARTITIONS = 2;
    /** Job parameter: hand the partitions to worker JVMs instead of local threads. */
    public static final String REMOTE = "remote";

    private final Step worker;
    private final RemotePartitioning remote;

    public AccountPartitionHandler(Step worker, RemotePartitioning remote) {
        this.worker = worker;
        this.remote = remote;
    }

    /** The partition count of the execution's job parameters. */
    public static int partitions(StepExecution stepExecution) {
        Long partitions = stepExecution.getJobParameters().getLong(PARTITIONS);
        return partitions == null ? DEFAULT_PARTITIONS : partitions.intValue();
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution managerStepExecution) throws Exception {
        if ("true".equals(managerStepExecution.getJobParameters().getString(REMOTE))) {
            return remote.handler(worker.getName(), AccountPartitionHandler::partitions).handle(splitter, managerStepExecution);
        }
        int partitions = partitions(managerStepExecution);
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(worker.getName() + "-");
        threads.setConcurrencyLimit(partitions);
        TaskExecutorPartitionHandler local = new TaskExecutorPartitionHandler();
        local.setStep(worker);
        local.setTaskExecutor(threads);
        local.setGridSize(partitions);
        local.afterPropertiesSet();
        return local.handle(splitter, managerStepExecution);
    }
}
