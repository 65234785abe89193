package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.scheduling.CatchUp;
import tally.scheduling.Schedule;
import tally.scheduling.ScheduleConfig;
import tally.scheduling.ScheduledJob;
import tally.scheduling.SchedulerNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Run the schedules of the schedule file in the foreground, as one node of a Quartz cluster on the "
                + "database: on start, and at every fire, run what is due (missed nightly dates in order, then month close, "
                + "then payouts). Several nodes may run; none runs a date twice. SIGTERM: the running step finishes, its "
                + "execution is left restartable. --list prints each schedule and its next fire time instead.")
class SchedulerCommand extends DbCommand {

    @Option(names = "--schedules", paramLabel = "FILE", defaultValue = "${env:TALLY_SCHEDULES:-config/schedules.yaml}",
            description = "Schedule file (default: $TALLY_SCHEDULES, else ${DEFAULT-VALUE}).")
    Path schedules;

    @Option(names = "--input", paramLabel = "DIR", defaultValue = "${env:TALLY_INPUT:-input}",
            description = "Usage logs root for nightly runs (default: $TALLY_INPUT, else ${DEFAULT-VALUE}).")
    Path input;

    @Option(names = "--list", description = "Print each schedule, its cron expression, time zone and next fire time; start nothing.")
    boolean list;

    @Option(names = "--json", description = "With --list: JSON instead of a table.")
    boolean json;

    private ScheduleConfig config;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        config = ScheduleConfig.load(schedules); // a bad file is refused before anything starts
        if (list) {
            return super.call();
        }
        Thread hook = new Thread(this::stopOnSignal, "tally-scheduler-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return super.call();
        } finally {
            stopped.countDown();
            removeHook(hook);
        }
    }

    @Override
    Map<String, Object> properties() {
        return Map.of("tally.input", input.toAbsolutePath().normalize().toString());
    }

    @Override
    int execute(ConfigurableApplicationContext context) {
        if (list) {
            printList(context);
            return 0;
        }
        SchedulerNode node = context.getBean(SchedulerNode.class);
        node.start(config);
        spec.commandLine().getErr().println("tally: scheduler running (" + schedules + "); stop it with SIGTERM or Ctrl-C");
        spec.commandLine().getErr().flush();
        awaitQuietly(stopRequested);
        node.stop();
        return 0;
    }

    /** SIGTERM / Ctrl-C: let the main thread stop the node and close the database, then let the JVM exit. */
    private void stopOnSignal() {
        stopRequested.countDown();
        awaitQuietly(stopped);
    }

    private void printList(ConfigurableApplicationContext context) {
        Instant now = context.getBean(Clock.class).instant();
        CatchUp catchUp = context.getBean(CatchUp.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Schedule schedule : config.schedules()) {
            Optional<ScheduledJob> job = catchUp.job(schedule.name());
            Instant next = schedule.nextFireAfter(now);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("schedule", schedule.name());
            row.put("cron", schedule.cron());
            row.put("time_zone", schedule.zone().getId());
            row.put("next_fire_time", next == null ? null : next.atZone(schedule.zone()).toOffsetDateTime().toString());
            row.put("business_date", schedule.businessDate().key());
            row.put("after", schedule.after().orElse(null));
            row.put("in_this_build", job.isPresent());
            row.put("last_completed", job.flatMap(ScheduledJob::lastCompletedDate).map(LocalDate::toString).orElse(null));
            rows.add(row);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("schedules", rows);
            out.put("max_runs_per_job", config.maxRunsPerJob());
            printJson(out);
            return;
        }
        List<List<String>> cells = rows.stream().map(r -> List.of(
                str(r.get("schedule")), str(r.get("cron")), str(r.get("time_zone")), str(r.get("next_fire_time")),
                str(r.get("business_date")), str(r.get("after")),
                Boolean.TRUE.equals(r.get("in_this_build")) ? str(r.get("last_completed")) : "(no job in this build)")).toList();
        spec.commandLine().getOut().print(Table.render(
                List.of("SCHEDULE", "CRON", "TIME ZONE", "NEXT FIRE", "BUSINESS DATE", "AFTER", "LAST COMPLETED"), cells));
        spec.commandLine().getOut().flush();
    }

    private static String str(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running and returns once stopped counts down
        }
    }
}
