package tally.partition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tally.infra.BadInputException;
import tally.infra.FaultInjection;
import tally.infra.JobRunner;
import tally.infra.TallyConfig;
import tally.testing.Cli;
import tally.testing.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Remote partitioning against one PostgreSQL (the embedded test server): a manager (this JVM, the
 * toy job of {@link ToyPartitionedJob} launched by {@link JobRunner} as Tally's commands do) and
 * {@code ./tally worker} JVMs started as subprocesses with the test classpath. The workers' fallback
 * polling is off, so requests sent after a worker's first look at the channel (the restarts below)
 * reach it by PostgreSQL NOTIFY only. No assertion depends on timing: the limits below only stop a
 * hung test.
 */
class RemotePartitioningIT {

    private static final List<Integer> ALL_ITEMS = IntStream.range(0, ToyPartitionedJob.ITEMS).boxed().toList();

    @TempDir
    Path home;

    @Test
    void twoWorkersShareThePartitionsAndWriteEveryItemOnce() throws Exception {
        String db = TestDatabase.freshDatabaseUrl();
        try (ConfigurableApplicationContext manager = managerContext(db)) {
            JdbcTemplate jdbc = manager.getBean(JdbcTemplate.class);
            jdbc.execute(ToyPartitionedJob.TABLES);
            Worker first = Worker.start(db, home, "worker-1", null, ToyPartitionedJob.ENABLED);
            Worker second = Worker.start(db, home, "worker-2", null, ToyPartitionedJob.ENABLED);
            try {
                JobRunner.Outcome outcome = runToy(manager, "shared", 2);

                assertThat(outcome.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
                assertThat(items(jdbc)).as("each item written once").isEqualTo(ALL_ITEMS);
                assertThat(Set.copyOf(jdbc.queryForList("select distinct worker_pid from toy_item", Long.class)))
                        .as("both workers took partitions").isEqualTo(Set.of(first.pid(), second.pid()));
                assertThat(partitionStatuses(jdbc)).hasSize(ToyPartitionedJob.PARTITIONS)
                        .allMatch(s -> s.endsWith(" COMPLETED"));
                assertThat(queuedRequests(jdbc)).as("the channel is empty").isZero();

                first.terminate();
                second.terminate();
                assertThat(first.log()).as("SIGTERM: a clean stop").contains("worker stopped: ");
                assertThat(second.log()).contains("worker stopped: ");
            } finally {
                first.kill();
                second.kill();
            }
        }
    }

    @Test
    void aWorkerKilledMidPartitionFailsThatPartitionAndTheRestartRunsOnlyIt() throws Exception {
        String db = TestDatabase.freshDatabaseUrl();
        ExecutorService launcher = Executors.newSingleThreadExecutor();
        try (ConfigurableApplicationContext manager = managerContext(db)) {
            JdbcTemplate jdbc = manager.getBean(JdbcTemplate.class);
            jdbc.execute(ToyPartitionedJob.TABLES);
            // Alone at first, it takes the first partition and halts (as kill -9) after its third row, uncommitted.
            Worker doomed = Worker.start(db, home, "doomed", "toy-item:3", ToyPartitionedJob.ENABLED);
            Worker survivor = null;
            try {
                Future<JobRunner.Outcome> firstRun = launcher.submit(() -> runToy(manager, "killed", 1));
                assertThat(doomed.awaitExit()).as("the doomed worker halted; see target/worker-logs")
                        .isEqualTo(FaultInjection.HALT_STATUS);
                survivor = Worker.start(db, home, "survivor", null, ToyPartitionedJob.ENABLED);

                ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                        () -> firstRun.get(10, TimeUnit.MINUTES));
                assertThat(failed).as("the first run fails").isNotNull();
                List<String> deadPartitions = jdbc.queryForList(
                        "select step_name from batch_step_execution where step_name like 'toy-worker:%' and status = 'FAILED'", String.class);
                assertThat(deadPartitions).hasSize(1);
                String dead = deadPartitions.get(0);
                assertThat(failed.getCause().getMessage()).as("the manager names the dead partition")
                        .contains(dead + " (step execution").contains("its worker died").doesNotContain("timeout");
                assertThat(partitionStatuses(jdbc)).filteredOn(s -> !s.startsWith(dead + " "))
                        .hasSize(ToyPartitionedJob.PARTITIONS - 1).allMatch(s -> s.endsWith(" COMPLETED"));
                assertThat(jdbc.queryForList("select distinct partition from toy_item", String.class))
                        .as("the dead partition's rows were never committed").doesNotContain(dead);

                JobRunner.Outcome rerun = runToy(manager, "killed", 1);

                assertThat(rerun.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
                assertThat(items(jdbc)).as("each item written once").isEqualTo(ALL_ITEMS);
                assertThat(jdbc.queryForList("select step_name from batch_step_execution where job_execution_id = ? "
                        + "and step_name like 'toy-worker:%'", String.class, rerun.execution().getId()))
                        .as("the restart re-sent only the dead partition").containsExactly(dead);
                assertThat(Set.copyOf(jdbc.queryForList("select distinct worker_pid from toy_item", Long.class)))
                        .containsExactly(survivor.pid());
                assertThat(queuedRequests(jdbc)).isZero();
            } finally {
                launcher.shutdownNow();
                doomed.kill();
                if (survivor != null) {
                    survivor.kill();
                }
            }
        }
    }

    @Test
    void withNoWorkerTheManagerTimesOutWithdrawsItsRequestsAndTheRestartRunsThemAll() throws Exception {
        String db = TestDatabase.freshDatabaseUrl();
        try (ConfigurableApplicationContext manager = managerContext(db, "2s")) {
            JdbcTemplate jdbc = manager.getBean(JdbcTemplate.class);
            jdbc.execute(ToyPartitionedJob.TABLES);

            IllegalStateException timedOut = catchThrowableOfType(IllegalStateException.class, () -> runToy(manager, "alone", 1));

            assertThat(timedOut).isNotNull();
            assertThat(timedOut.getMessage()).contains("6 partition(s) not finished within the timeout of PT2S")
                    .contains("never taken by a worker").contains("toy-worker:partition0 (step execution");
            assertThat(partitionStatuses(jdbc)).hasSize(ToyPartitionedJob.PARTITIONS).allMatch(s -> s.endsWith(" FAILED"));
            assertThat(queuedRequests(jdbc)).as("the requests were withdrawn").isZero();
        }
        Worker worker = Worker.start(db, home, "late", null, ToyPartitionedJob.ENABLED);
        worker.awaitReady();
        try (ConfigurableApplicationContext manager = managerContext(db)) {
            JdbcTemplate jdbc = manager.getBean(JdbcTemplate.class);

            assertThat(runToy(manager, "alone", 1).execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(items(jdbc)).isEqualTo(ALL_ITEMS);
            assertThat(worker.log()).doesNotContain("dropped request");
        } finally {
            worker.kill();
        }
    }

    @Test
    void aPartitionFailingOnBadInputFailsTheManagerAsBadInput() throws Exception {
        String db = TestDatabase.freshDatabaseUrl();
        try (ConfigurableApplicationContext manager = managerContext(db)) {
            JdbcTemplate jdbc = manager.getBean(JdbcTemplate.class);
            jdbc.execute(ToyPartitionedJob.TABLES);
            Worker worker = Worker.start(db, home, "worker", null, ToyPartitionedJob.ENABLED);
            try {
                Job job = manager.getBean("toyJob", Job.class);
                JobParameters parameters = new JobParametersBuilder().addString("run", "bad", true)
                        .addLong("badItem", 25L, false).toJobParameters();

                BadInputException bad = catchThrowableOfType(BadInputException.class,
                        () -> manager.getBean(JobRunner.class).run(job, parameters, "toy:bad"));

                assertThat(bad).as("bad input in a worker stays bad input (exit code 2)").isNotNull();
                assertThat(bad.getMessage()).isEqualTo("1 of 6 partition(s) of toy-worker did not complete: "
                        + "toy-worker:partition2 (step execution " + partitionId(jdbc, "toy-worker:partition2")
                        + ") FAILED: item 25 is bad");
            } finally {
                worker.kill();
            }
        }
    }

    private static long partitionId(JdbcTemplate jdbc, String name) {
        return jdbc.queryForObject("select step_execution_id from batch_step_execution where step_name = ?", Long.class, name);
    }

    /** The manager: Tally's application with the toy job, polling fast, a generous overall timeout. */
    private ConfigurableApplicationContext managerContext(String db) {
        return managerContext(db, "10m");
    }

    private ConfigurableApplicationContext managerContext(String db, String timeout) {
        return new SpringApplicationBuilder(TallyConfig.class)
                .properties(Map.of("tally.db.url", db, "tally.home", home.resolve("manager").toString(),
                        "tally.rules", Cli.RULES.toString(), ToyPartitionedJob.ENABLED, "true",
                        "tally.partition.poll-interval", "200ms", "tally.partition.grace", "1s",
                        "tally.partition.timeout", timeout))
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .run();
    }

    private static JobRunner.Outcome runToy(ConfigurableApplicationContext manager, String run, long barrier) {
        Job job = manager.getBean("toyJob", Job.class);
        JobParameters parameters = new JobParametersBuilder()
                .addString("run", run, true)
                .addLong("barrier", barrier, false)
                .toJobParameters();
        return manager.getBean(JobRunner.class).run(job, parameters, ToyPartitionedJob.JOB + ":" + run);
    }

    private static List<Integer> items(JdbcTemplate jdbc) {
        return jdbc.queryForList("select item from toy_item order by item", Integer.class);
    }

    private static List<String> partitionStatuses(JdbcTemplate jdbc) {
        return jdbc.queryForList("select step_name || ' ' || status from batch_step_execution "
                + "where step_name like 'toy-worker:%' order by step_execution_id", String.class);
    }

    private static int queuedRequests(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from int_channel_message", Integer.class);
    }
}
