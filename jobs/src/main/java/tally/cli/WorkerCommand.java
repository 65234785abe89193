package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.partition.PartitionWorker;
import tally.partition.RemotePartitioning;

import java.util.concurrent.CountDownLatch;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run partitions of partitioned steps for managers on other machines (e.g. nightly --remote), in the "
                + "foreground, until SIGTERM or Ctrl-C. Needs the managers' PostgreSQL (--db or $TALLY_DB_URL) and the same "
                + "input storage and rating rules. Requests come through the database (LISTEN/NOTIFY); each is run by one "
                + "worker. SIGTERM: no new partition is taken, the running ones finish, then the worker exits. A worker that "
                + "dies mid-partition fails that partition; running the manager's command again runs it again. On exit, "
                + "prints what it ran as JSON.")
class WorkerCommand extends DbCommand {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Partitions run at once by this worker (default: ${DEFAULT-VALUE}).")
    int threads;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new BadInputException("--threads " + threads + " must be at least 1");
        }
        if (db.effectiveDbUrl().isBlank()) {
            throw new BadInputException("worker needs the managers' PostgreSQL server: give --db jdbc:postgresql://... or set "
                    + "TALLY_DB_URL (the embedded database under --home serves one process at a time)");
        }
        Thread hook = new Thread(this::stopOnSignal, "tally-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return super.call();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and returns now that stopped counted down
            }
        }
    }

    @Override
    int execute(ConfigurableApplicationContext context) {
        PartitionWorker worker = context.getBean(RemotePartitioning.class).worker(threads);
        worker.start();
        spec.commandLine().getErr().println("tally: worker running; stop it with SIGTERM or Ctrl-C");
        spec.commandLine().getErr().flush();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.stop();
        printJson(worker.counts());
        return 0;
    }

    /** SIGTERM / Ctrl-C: let the main thread stop the worker and close the database, then let the JVM exit. */
    private void stopOnSignal() {
        stopRequested.countDown();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
