package tally.scheduling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.jdbc.core.JdbcTemplate;
import tally.scheduling.TestNode.SettableClock;
import tally.testing.Cli;
import tally.testing.Fixture;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two scheduler nodes (two Spring applications, two clustered Quartz schedulers) on one database,
 * with a test schedule that fires every second. The shared clock moves one business day at a time;
 * whichever node fires, every date must run exactly once, and no two wake-ups may overlap.
 */
class SchedulerClusterIT {

    static final List<String> DAYS = List.of("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06");

    @TempDir
    Path tmp;

    @Test
    void twoNodesRunEachBusinessDateExactlyOnce() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.oneBotReference(tmp.resolve("ref"), 10_000).toString());
        Path input = tmp.resolve("input");
        DAYS.forEach(d -> Fixture.botMessages(input, LocalDate.parse(d), "gpt-4o", 2, 10_000, 2_000));
        Path file = tmp.resolve("schedules.yaml");
        Fixture.write(file, """
                schedules:
                  nightly: {cron: "* * * * * ?", time_zone: UTC, business_date: previous_day}
                """);
        ScheduleConfig config = ScheduleConfig.load(file);
        SettableClock clock = new SettableClock("2026-03-03T00:00:30Z"); // first due date: 03-02
        WakeUps wakeUps = new WakeUps();

        try (TestNode a = new TestNode(cli, input, clock); TestNode b = new TestNode(cli, input, clock)) {
            for (TestNode node : List.of(a, b)) {
                node.bean(Scheduler.class).getListenerManager().addJobListener(wakeUps);
                node.bean(SchedulerNode.class).start(config);
            }
            RunHistory history = a.bean(RunHistory.class);
            for (String day : DAYS) {
                clock.set(LocalDate.parse(day).plusDays(1) + "T00:00:30Z");
                awaitCompleted(history, LocalDate.parse(day));
                Thread.sleep(1500); // a few more fires on both nodes for the same day
            }
            a.bean(SchedulerNode.class).stop();
            b.bean(SchedulerNode.class).stop();

            JdbcTemplate jdbc = a.bean(JdbcTemplate.class);
            List<Map<String, Object>> executions = jdbc.queryForList("""
                    select p.parameter_value as date, e.status
                    from batch_job_execution e join batch_job_instance i using (job_instance_id)
                    join batch_job_execution_params p on p.job_execution_id = e.job_execution_id and p.parameter_name = 'date'
                    where i.job_name = 'nightly' order by e.job_execution_id""");
            assertThat(executions).extracting(r -> r.get("date") + " " + r.get("status"))
                    .as("one execution per date, each completed, in date order")
                    .containsExactlyElementsOf(DAYS.stream().map(d -> d + " COMPLETED").toList());
            assertThat(jdbc.queryForObject("""
                    select count(*) from batch_job_execution a join batch_job_execution b
                      on a.job_execution_id < b.job_execution_id and a.start_time < b.end_time and b.start_time < a.end_time""",
                    Long.class)).as("no two executions ran at once on the cluster").isZero();
        }
        assertThat(wakeUps.total.get()).as("the every-second trigger kept firing").isGreaterThan(DAYS.size());
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
        assertThat(cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong())
                .as("five days of two 4.5-cent messages, each posted once").isEqualTo(10_000 - 45);
    }

    private static void awaitCompleted(RunHistory history, LocalDate day) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!history.lastCompletedDate("nightly", "date").equals(Optional.of(day))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nightly " + day + " did not complete within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Counts wake-ups on both nodes. */
    static final class WakeUps implements JobListener {
        final AtomicInteger total = new AtomicInteger();

        @Override
        public String getName() {
            return "test-wake-ups";
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
            total.incrementAndGet();
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        }
    }
}
