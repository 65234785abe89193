package tally.infra;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Tally's jobs are chains of idempotent tasklet steps; this builds one. Each carries the
 * crash-test hook between its committed work and its bookkeeping (off in production).
 */
public final class Steps {

    private static final StepExecutionListener FAULTS = new StepExecutionListener() {
        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            FaultInjection.checkpoint("step-end");
            return stepExecution.getExitStatus();
        }
    };

    private Steps() {
    }

    public static Step tasklet(String name, JobRepository repository, PlatformTransactionManager transactions, Tasklet tasklet) {
        return new StepBuilder(name, repository).tasklet(tasklet, transactions).listener(FAULTS).build();
    }

    /** A tasklet step that runs again on every restart of its job, even if it completed before. */
    public static Step rerunnableTasklet(String name, JobRepository repository, PlatformTransactionManager transactions,
                                         Tasklet tasklet) {
        return new StepBuilder(name, repository).tasklet(tasklet, transactions).listener(FAULTS)
                .allowStartIfComplete(true).build();
    }
}
