package tally.scheduling;

import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A job the scheduler can launch for a business date, found by the name of its schedule in
 * {@code config/schedules.yaml}. {@link #launch} runs the date to completion or throws; a date that
 * completed before must be a no-op (Tally's jobs are identified by their business date, see
 * {@link tally.infra.JobRunner}). The beans are declared in {@link ScheduledJobs}.
 */
public interface ScheduledJob {

    String name();

    void launch(LocalDate businessDate);

    /** The latest business date this job completed, by any launcher (scheduler or command line). */
    Optional<LocalDate> lastCompletedDate();

    static ScheduledJob of(String name, Consumer<LocalDate> launch, Supplier<Optional<LocalDate>> lastCompletedDate) {
        return new ScheduledJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void launch(LocalDate businessDate) {
                launch.accept(businessDate);
            }

            @Override
            public Optional<LocalDate> lastCompletedDate() {
                return lastCompletedDate.get();
            }
        };
    }
}
