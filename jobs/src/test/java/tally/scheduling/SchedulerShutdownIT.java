package tally.scheduling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.TallyApplication;
import tally.testing.Cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tally scheduler} in its own JVM, stopped with SIGTERM while it catches up the sample days:
 * the JVM exits (Quartz threads do not keep it alive), no execution is left STARTED, the interrupted
 * date is left STOPPED (restartable), no later date was started, and the same date then completes
 * with its control totals holding.
 */
class SchedulerShutdownIT {

    @TempDir
    Path home;

    @Test
    void sigtermLeavesARestartableExecutionAndExits() throws Exception {
        Cli cli = new Cli(home);
        cli.importSample();
        cli.nightly("2026-03-02", Cli.SAMPLE.resolve("usage")); // the scheduler then catches up 03-03, 03-04 with the real clock

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.timezone=UTC",
                "-cp", System.getProperty("java.class.path"), TallyApplication.class.getName(),
                "scheduler", "--schedules", Cli.REPO.resolve("config/schedules.yaml").toString(),
                "--input", Cli.SAMPLE.resolve("usage").toString(),
                "--db", cli.dbUrl(), "--home", home.toString(), "--rules", Cli.RULES.toString()));
        Path log = home.resolve("scheduler.log");
        Process scheduler = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitRunningExecution(cli.dbUrl(), scheduler);
            scheduler.destroy(); // SIGTERM
            assertThat(scheduler.waitFor(120, TimeUnit.SECONDS)).as("the scheduler exits after SIGTERM; see " + log).isTrue();
        } finally {
            scheduler.destroyForcibly();
        }

        List<String> executions = query(cli.dbUrl(), """
                select p.parameter_value || ' ' || e.status from batch_job_execution e
                join batch_job_execution_params p on p.job_execution_id = e.job_execution_id and p.parameter_name = 'date'
                order by e.job_execution_id""");
        assertThat(executions).as("see " + log).noneMatch(e -> e.endsWith("STARTED") || e.endsWith("STOPPING"));
        String interrupted = executions.get(executions.size() - 1);
        assertThat(interrupted).as("the last execution is the interrupted one, stopped after its step").endsWith(" STOPPED");
        String date = interrupted.substring(0, 10);
        assertThat(cli.nightly(date, Cli.SAMPLE.resolve("usage")).get("controls_ok").asBoolean()).isTrue();
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }

    private static void awaitRunningExecution(String dbUrl, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (query(dbUrl, "select 1 from batch_job_execution where status = 'STARTED'").isEmpty()) {
            if (!scheduler.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the scheduler never started a run");
            }
            Thread.sleep(20);
        }
    }

    private static List<String> query(String dbUrl, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
