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
 * summed into the manager step, then {@code check} may fail the manager step: a failed manager
 * step is run again on restart, with all its partitions (the worker must be idempotent and allow
 * a start after completion).
 */
public final class PartitionedSteps {

    private PartitionedSteps() {
    }

    public static Step byAccount(String name, Step worker, JobRepository repository, RemotePartitioning remote,
                                 Consumer<StepExecution> check) {
        RemoteStepExecutionAggregator sum = new RemoteStepExecutionAggregator(repository);
        StepExecutionAggregator aggregator = (StepExecution manager, Collection<StepExecution> partitions) -> {
            sum.aggregate(manager, partitions);
            check.accept(manager);
        };
        return new StepBuilder(name, repository)
                .partitioner(worker.getName(), new AccountPartitioner())
                .step(worker)
                .partitionHandler(new AccountPartitionHandler(worker, remote))
                .aggregator(aggregator)
                .build();
    }

    public static Step byAccount(String name, Step worker, JobRepository repository, RemotePartitioning remote) {
        return byAccount(name, worker, repository, remote, manager -> {
        });
    }
}
