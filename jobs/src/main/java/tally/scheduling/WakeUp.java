package tally.scheduling;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * The one Quartz job: every trigger (each schedule's cron, and the one-shot trigger a node adds when
 * it starts) wakes the scheduler up to run what is due. {@link DisallowConcurrentExecution} holds
 * across the cluster (the JDBC job store blocks the job's other triggers while one fires), so two
 * nodes never run due work at the same time.
 */
@DisallowConcurrentExecution
public class WakeUp implements org.quartz.Job {

    private final SchedulerNode node;

    public WakeUp(SchedulerNode node) {
        this.node = node;
    }

    @Override
    public void execute(JobExecutionContext context) {
        node.runDue(context.getTrigger().getKey().getName());
    }
}
