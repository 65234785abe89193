package tally.scheduling;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tally.infra.ClusterLock;
import tally.infra.JobRunner;

import javax.sql.DataSource;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

/**
 * One node of the scheduler cluster ({@code ./tally scheduler}). {@link #start} writes the schedules
 * of the file as cron triggers of the {@link WakeUp} job in the shared JDBC job store (replacing what
 * an earlier start wrote, dropping schedules no longer in the file), starts Quartz, and adds a one-shot
 * trigger so the node catches up at once. {@link #stop} lets the running step finish: no new date
 * starts, the running execution is asked to stop after its step (it is left STOPPED, restartable),
 * and Quartz shuts down once its job has returned.
 */
@Component
public class SchedulerNode {

    private static final Logger log = LoggerFactory.getLogger(SchedulerNode.class);

    static final JobKey WAKE_UP = JobKey.jobKey("wake-up", "tally");
    /** Held by the node doing the due work, so two wake-ups never run it at once. */
    static final String WAKE_UP_LOCK = "tally:scheduler:wake-up";
    /** Held while a node registers the schedules' triggers. */
    static final String REGISTER_LOCK = "tally:scheduler:register";
    static final String SCHEDULE_GROUP = "schedules";
    static final String STARTUP_TRIGGER_PREFIX = "start:";

    private final Scheduler quartz;
    private final CatchUp catchUp;
    private final JobRunner runner;
    private final DataSource dataSource;
    private volatile ScheduleConfig config;
    private volatile String nodeId;

    public SchedulerNode(Scheduler quartz, CatchUp catchUp, JobRunner runner, DataSource dataSource) {
        this.quartz = quartz;
        this.catchUp = catchUp;
        this.runner = runner;
        this.dataSource = dataSource;
    }

    public void start(ScheduleConfig config) {
        this.config = config;
        config.schedules().stream().filter(s -> catchUp.job(s.name()).isEmpty())
                .forEach(s -> log.warn("schedule {}: no job in this build; it is kept but launches nothing", s.name()));
        // Nodes starting together would each find a trigger missing and insert it: one registers at a time.
        try (ClusterLock registering = ClusterLock.acquire(dataSource, REGISTER_LOCK)) {
            JobDetail wakeUp = org.quartz.JobBuilder.newJob(WakeUp.class).withIdentity(WAKE_UP).storeDurably()
                    .requestRecovery().withDescription("runs what is due (config/schedules.yaml)").build();
            quartz.addJob(wakeUp, true);
            Set<TriggerKey> current = new HashSet<>();
            for (Schedule schedule : config.schedules()) {
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(schedule.name(), SCHEDULE_GROUP).forJob(WAKE_UP)
                        .withSchedule(CronScheduleBuilder.cronSchedule(schedule.cron())
                                .inTimeZone(TimeZone.getTimeZone(schedule.zone()))
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build();
                current.add(trigger.getKey());
                if (quartz.checkExists(trigger.getKey())) {
                    quartz.rescheduleJob(trigger.getKey(), trigger);
                } else {
                    quartz.scheduleJob(trigger);
                }
            }
            for (TriggerKey key : quartz.getTriggerKeys(GroupMatcher.triggerGroupEquals(SCHEDULE_GROUP))) {
                if (!current.contains(key)) {
                    log.info("schedule {} is no longer in the schedule file: removing its trigger", key.getName());
                    quartz.unscheduleJob(key);
                }
            }
            nodeId = quartz.getSchedulerInstanceId();
            quartz.start();
            quartz.scheduleJob(TriggerBuilder.newTrigger()
                    .withIdentity(STARTUP_TRIGGER_PREFIX + nodeId, "startup").forJob(WAKE_UP)
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                    .startNow().build());
            log.info("scheduler node {} started: {}", nodeId,
                    config.schedules().stream().map(s -> s.name() + " '" + s.cron() + "' " + s.zone()).toList());
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler could not start: " + e.getMessage(), e);
        }
    }

    /**
     * Called by {@link WakeUp} on whichever node Quartz chose. Quartz's non-concurrent jobs can still
     * fire twice across a cluster when several triggers are due at once (quartz-scheduler issue 674),
     * so the work itself holds a cluster-wide lock: a second wake-up finds it taken and leaves the due
     * work to the node already doing it.
     */
    void runDue(String triggerName) {
        log.debug("woken up by {}", triggerName);
        Optional<ClusterLock> lock = ClusterLock.tryAcquire(dataSource, WAKE_UP_LOCK);
        if (lock.isEmpty()) {
            log.debug("node {}: another node is running the due work", nodeId);
            return;
        }
        try (ClusterLock held = lock.get()) {
            List<CatchUp.Outcome> outcomes = catchUp.runDue(config);
            if (!outcomes.isEmpty()) {
                log.info("node {}: wake-up by {} ran {}", nodeId, triggerName, outcomes);
            }
        }
    }

    /** Clean shutdown: the running step finishes, nothing new starts; returns once Quartz has stopped. */
    public void stop() {
        log.info("scheduler node stopping: the running step finishes, its execution is left restartable");
        catchUp.stop();
        runner.stopRunning();
        try {
            quartz.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
        }
    }
}
