package tally.partition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.infra.FaultInjection;
import tally.testing.Cli;
import tally.testing.Sample;
import tally.testing.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly with {@code --remote}: this JVM is the manager ({@code ./tally nightly ... --remote}),
 * two {@code ./tally worker} JVMs rate and post the account partitions. The ledger, balances,
 * analytics and rated events must be those of the same days run in one process.
 */
class RemoteNightlyIT {

    @TempDir
    Path tmp;

    private Map<String, String> singleProcessOutcome() throws Exception {
        Cli cli = new Cli(tmp.resolve("single"));
        Sample.runAll(cli);
        return PartitionCountIT.outcome(cli);
    }

    /** The manager's CLI, on a fresh database with the sample's reference data. */
    private Cli managerOnFreshDatabase() {
        Cli cli = new Cli(TestDatabase.freshDatabaseUrl(), tmp.resolve("manager"));
        cli.importSample();
        return cli;
    }

    private static Cli.Result nightlyRemote(Cli cli, String day) {
        return cli.run("nightly", "--date", day, "--input", Sample.USAGE.toString(), "--partitions", "2", "--remote");
    }

    @Test
    void aManagerAndTwoWorkersGiveTheLedgerAndAnalyticsOfTheSingleProcessRun() throws Exception {
        Map<String, String> expected = singleProcessOutcome();
        Cli cli = managerOnFreshDatabase();
        String db = cli.dbUrl();
        Worker first = Worker.start(db, tmp, "worker-1", null);
        Worker second = Worker.start(db, tmp, "worker-2", null);
        try {
            for (String day : Sample.days()) {
                Cli.Result run = nightlyRemote(cli, day);
                assertThat(run.exitCode()).as("%s", run).isZero();
            }
            assertThat(PartitionCountIT.outcome(cli)).isEqualTo(expected);
            assertThat(first.log() + second.log()).as("the partitions ran in the workers")
                    .contains("rate-and-post-partition:p1of2").contains("rate-and-post-partition:p2of2");
            first.terminate();
            second.terminate();
        } finally {
            first.kill();
            second.kill();
        }
    }

    @Test
    void aWorkerKilledMidPostingLeavesTheSameLedgerOnceTheRunIsResumed() throws Exception {
        Map<String, String> expected = singleProcessOutcome();
        Cli cli = managerOnFreshDatabase();
        String db = cli.dbUrl();
        List<String> days = Sample.days();
        ExecutorService manager = Executors.newSingleThreadExecutor();
        // Alone at first, it takes a partition and halts (as kill -9) at its second ledger write, uncommitted.
        Worker doomed = Worker.start(db, tmp, "doomed", "ledger-write:2");
        Worker survivor = null;
        try {
            Future<Cli.Result> firstRun = manager.submit(() -> nightlyRemote(cli, days.get(0)));
            assertThat(doomed.awaitExit()).as("the doomed worker halted; see target/worker-logs")
                    .isEqualTo(FaultInjection.HALT_STATUS);
            survivor = Worker.start(db, tmp, "survivor", null);

            Cli.Result failed = firstRun.get(10, TimeUnit.MINUTES);
            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.err()).contains("rate-and-post-partition:").contains("its worker died");

            for (String day : days) {
                Cli.Result run = nightlyRemote(cli, day);
                assertThat(run.exitCode()).as("%s", run).isZero();
            }
            assertThat(PartitionCountIT.outcome(cli)).isEqualTo(expected);
        } finally {
            manager.shutdownNow();
            doomed.kill();
            if (survivor != null) {
                survivor.kill();
            }
        }
    }
}
