package tally.partition;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a step into {@code gridSize} account partitions. Each partition's execution context
 * names its slice; Spring Batch stores it, so a restarted partition (here or in a worker JVM)
 * works on the same accounts, and a restart keeps the first run's partition count.
 */
public final class AccountPartitioner implements Partitioner {

    static final String INDEX = "partition.index";
    static final String COUNT = "partition.count";

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
        for (int index = 0; index < gridSize; index++) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(INDEX, index);
            context.putInt(COUNT, gridSize);
            contexts.put("p" + (index + 1) + "of" + gridSize, context);
        }
        return contexts;
    }

    /** The slice a partition's step execution works on; the whole when the step is not partitioned. */
    public static AccountPartition of(StepExecution stepExecution) {
        ExecutionContext context = stepExecution.getExecutionContext();
        if (!context.containsKey(COUNT)) {
            return AccountPartition.ALL;
        }
        return new AccountPartition(context.getInt(INDEX), context.getInt(COUNT));
    }
}
