package tally.partition;

import tally.TallyApplication;
import tally.infra.FaultInjection;
import tally.testing.Cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./tally worker} in its own JVM on the test classpath, with its output in a log file. */
record Worker(Process process, Path logFile) {

    /**
     * @param haltAt          a {@link FaultInjection} point to halt at (as kill -9), or null
     * @param trueProperties  system properties set to true in the worker (e.g. a test job's switch)
     */
    static Worker start(String db, Path home, String name, String haltAt, String... trueProperties) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=UTC", "-Xmx256m",
                // No fallback polling: a request sent after a worker's first look reaches it only by NOTIFY.
                "-Dtally.partition.worker-poll=1h"));
        for (String property : trueProperties) {
            command.add("-D" + property + "=true");
        }
        if (haltAt != null) {
            command.add("-D" + FaultInjection.PROPERTY + "=" + haltAt);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TallyApplication.class.getName(),
                "worker", "--db", db, "--home", home.resolve(name).toString(), "--rules", Cli.RULES.toString()));
        Path log = home.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Worker(process, log);
    }

    long pid() {
        return process.pid();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            throw new AssertionError("worker did not end; see target/worker-logs");
        }
        return process.exitValue();
    }

    /** Until the worker has subscribed (and looked at the channel once): what it takes later came by NOTIFY. */
    void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!log().contains("worker ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("worker never became ready; see target/worker-logs");
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, then wait for the JVM to end. */
    void terminate() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    /** Ends the JVM if still running, and keeps its log under target/worker-logs for a failed test's reader. */
    void kill() throws IOException {
        process.destroyForcibly();
        Path kept = Path.of("target", "worker-logs");
        Files.createDirectories(kept);
        Files.copy(logFile, kept.resolve(logFile.getFileName() + "-" + pid()), StandardCopyOption.REPLACE_EXISTING);
    }

    String log() throws IOException {
        return Files.readString(logFile);
    }
}
