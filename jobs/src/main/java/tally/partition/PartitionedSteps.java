package tally.partition;

import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.partition.support.RemoteStepExecutionAggregator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Builds a manager step that runs its worker step once per account partition. The partitions'
 * results are read back from the JobRepository (they may have run in other threads or JVMs) and
 * summed into the manager step; if all succeeded, {@code afterPartitions} runs and may fail the
 * manager step. A failed manager step runs again on restart with its unfinished partitions, and with
 * all of them if the worker step allows a start after completion (it must then be idempotent).
 */
public final class PartitionedSteps {

    private PartitionedSteps() {
    }

    public static Step byAccount(String name, Step worker, JobRepository repository, RemotePartitioning remote,
                                 Consumer<StepExecution> afterPartitions) {
        RemoteStepExecutionAggregator sum = new RemoteStepExecutionAggregator(repository);
        StepExecutionAggregator aggregator = (StepExecution manager, Collection<StepExecution> partitions) -> {
            sum.aggregate(manager, partitions);
            if (!manager.getStatus().isUnsuccessful()) {
                afterPartitions.accept(manager);
            }
        };
        return new StepBuilder(name, repository)
                .partitioner(worker.getName(), new AccountPartitioner())
                .step(worker)
                .partitionHandler(new AccountPartitionHandler(worker, remote))
                .aggregator(aggregator)
                .build();
    }
}
