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
 * on that many threads of this JVM.
 */
public final class AccountPartitionHandler implements PartitionHandler {

    /** Job parameter: the number of account partitions (default {@link #DEFAULT_PARTITIONS}). */
    public static final String PARTITIONS = "partitions";
    public static final int DEFAULT_PARTITIONS = 2;

    private final Step worker;

    public AccountPartitionHandler(Step worker) {
        this.worker = worker;
    }

    /** The partition count of the execution's job parameters. */
    public static int partitions(StepExecution stepExecution) {
        Long partitions = stepExecution.getJobParameters().getLong(PARTITIONS);
        return partitions == null ? DEFAULT_PARTITIONS : partitions.intValue();
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution managerStepExecution) throws Exception {
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
