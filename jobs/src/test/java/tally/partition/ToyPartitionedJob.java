package tally.partition;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.BadInputException;
import tally.infra.FaultInjection;
import tally.infra.Steps;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A partitioned job for {@link RemotePartitioningIT}, in test sources: on the test classpath every
 * context scans it, so it exists only with {@code -Dtally.test.toy-partitioning=true} (the test's
 * manager context and its worker JVMs).
 *
 * <p>Manager step {@code toy-manager}: {@value #PARTITIONS} partitions of the items 0..{@value #ITEMS}-1,
 * executed remotely. Worker step {@code toy-worker} (a Step bean, as workers need): in one transaction,
 * a row in {@code toy_item} per item of its partition with the worker's pid; the fault point
 * {@code toy-item} after each insert lets a test halt a worker mid-partition. With the job parameter
 * {@code barrier} = N, a partition waits until N distinct worker JVMs have started partitions (so with
 * one thread per worker, N workers must take part); with {@code badItem} = I, the partition of item I
 * fails on bad input there.
 */
@Configuration
@ConditionalOnProperty(name = ToyPartitionedJob.ENABLED, havingValue = "true")
public class ToyPartitionedJob {

    static final String ENABLED = "tally.test.toy-partitioning";
    static final String JOB = "toy-partitioned";
    static final String WORKER_STEP = "toy-worker";
    static final int ITEMS = 60;
    static final int PARTITIONS = 6;
    static final String TABLES = """
            create table toy_item (item int not null, partition text not null, worker_pid bigint not null);
            create table toy_worker (pid bigint primary key);
            """;

    @Bean
    public Job toyJob(JobRepository repository, RemotePartitioning remote) {
        Step manager = new StepBuilder("toy-manager", repository)
                .partitioner(WORKER_STEP, ToyPartitionedJob::partition)
                .partitionHandler(remote.handler(WORKER_STEP, execution -> PARTITIONS))
                .build();
        return new JobBuilder(JOB, repository).start(manager).build();
    }

    @Bean
    public Step toyWorkerStep(JobRepository repository, PlatformTransactionManager transactions, DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long pid = ProcessHandle.current().pid();
        return Steps.tasklet(WORKER_STEP, repository, transactions, (contribution, chunk) -> {
            StepExecution partition = chunk.getStepContext().getStepExecution();
            awaitWorkers(dataSource, pid, partition.getJobParameters().getLong("barrier", 1L));
            ExecutionContext range = partition.getExecutionContext();
            long badItem = partition.getJobParameters().getLong("badItem", -1L);
            for (int item = range.getInt("from"); item < range.getInt("to"); item++) {
                if (item == badItem) {
                    throw new BadInputException("item " + item + " is bad");
                }
                jdbc.update("insert into toy_item (item, partition, worker_pid) values (?, ?, ?)", item, partition.getStepName(), pid);
                FaultInjection.checkpoint("toy-item");
            }
            return RepeatStatus.FINISHED;
        });
    }

    static Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int i = 0; i < gridSize; i++) {
            ExecutionContext range = new ExecutionContext();
            range.putInt("from", i * ITEMS / gridSize);
            range.putInt("to", (i + 1) * ITEMS / gridSize);
            partitions.put("partition" + i, range);
        }
        return partitions;
    }

    /** Outside the step's transaction: this worker is seen at once by the others. */
    private static void awaitWorkers(DataSource dataSource, long pid, long workers) throws SQLException, InterruptedException {
        if (workers <= 1) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("insert into toy_worker values (?) on conflict do nothing")) {
                ps.setLong(1, pid);
                ps.execute();
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from toy_worker"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= workers) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("fewer than " + workers + " workers took partitions within 5 minutes");
                }
                Thread.sleep(50);
            }
        }
    }
}
