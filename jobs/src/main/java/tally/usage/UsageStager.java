package tally.usage;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.infra.DayPartitions;
import tally.infra.FaultInjection;
import tally.infra.PgCopy;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one arrival day's files, validates each row, and stages the valid ones in PostgreSQL
 * (COPY) so that rating can take them in any order without holding the day in memory. Row rejects
 * are recorded with their reason. Runs inside the caller's transaction; starts by clearing what an
 * interrupted earlier attempt may have staged for the same day.
 */
@Component
public class UsageStager {

    static final List<String> STAGED_COLUMNS = List.of("arrival_date", "source_file", "source_row", "event_id",
            "occurred_at", "kind", "account_id", "project_id", "resource_id", "conversation_id", "end_user_id",
            "platform", "provider", "model", "billing_mode", "tokens_input", "tokens_output", "iterations",
            "latency_ms", "status", "quantity");

    /** Rejects are written in batches of this many, so a bad file cannot fill memory. */
    static final int REJECT_BATCH = 1000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public UsageStager(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Set by {@code ./tally} when stderr is a terminal. */
    static final String PROGRESS_PROPERTY = "tally.progress";

    /** A progress bar on stderr when a person is watching it, none in cron logs. */
    private static ProgressBar progressBar(LocalDate arrivalDay) {
        if (!Boolean.getBoolean(PROGRESS_PROPERTY)) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("read " + arrivalDay).setUnit(" rows", 1)
                .setStyle(ProgressBarStyle.ASCII).setInitialMax(-1).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    public record StageResult(long rowsRead, long rowsStaged, long rowsRejected, int files) {
    }

    public StageResult stage(Path inputDir, LocalDate arrivalDay, Duration allowedLateness) {
        DayPartitions stagedDays = DayPartitions.stagedEvents(jdbc);
        stagedDays.drop(arrivalDay);
        stagedDays.createUnlogged(arrivalDay);
        jdbc.update("delete from repeated_event where arrival_date = ?", arrivalDay);
        jdbc.update("delete from rejected_event where arrival_date = ?", arrivalDay);
        List<Path> files = UsageFiles.list(inputDir, arrivalDay);
        RowValidator validator = new RowValidator(arrivalDay, allowedLateness);
        long read = 0;
        long staged = 0;
        long rejected = 0;
        List<RowOutcome.Rejected> rejects = new ArrayList<>();
        try (PgCopy copy = PgCopy.streaming(dataSource, stagedDays.table(arrivalDay), STAGED_COLUMNS);
             ProgressBar progress = progressBar(arrivalDay)) {
            for (Path file : files) {
                String name = UsageFiles.partition(inputDir, arrivalDay).getFileName() + "/" + file.getFileName();
                try (UsageFileReader reader = new UsageFileReader(file, name)) {
                    while (reader.hasNext()) {
                        RawRow row = reader.next();
                        read++;
                        FaultInjection.checkpoint("read-row");
                        if (progress != null) {
                            progress.step();
                        }
                        RowOutcome outcome = validator.validate(row);
                        if (outcome instanceof RowOutcome.Accepted accepted) {
                            UsageEvent e = accepted.event();
                            copy.row(arrivalDay, e.sourceFile(), e.sourceRow(), e.eventId(), e.occurredAt(),
                                    e.kind().code(), e.accountId(), e.projectId(), e.resourceId(), e.conversationId(),
                                    e.endUserId(), e.platform(), e.provider(), e.model(), e.billingMode(),
                                    e.tokensInput(), e.tokensOutput(), e.iterations(), e.latencyMs(), e.statusCode(),
                                    e.quantity());
                            staged++;
                        } else {
                            rejects.add((RowOutcome.Rejected) outcome);
                            if (rejects.size() == REJECT_BATCH) {
                                copy.pause();
                                RejectStore.insert(jdbc, arrivalDay, rejects);
                                rejected += rejects.size();
                                rejects.clear();
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        RejectStore.insert(jdbc, arrivalDay, rejects);
        rejected += rejects.size();
        recordRepeated(stagedDays.table(arrivalDay));
        return new StageResult(read, staged, rejected, files.size());
    }

    /**
     * Event ids staged more than once, with their first sighting (see repeated_event): the only copy
     * rating considers, whichever account partition it falls in. Selected into a temporary table
     * first because PostgreSQL plans INSERT ... SELECT without parallel workers, and this query
     * groups the whole day by event_id.
     */
    private void recordRepeated(String stagedTable) {
        jdbc.execute("""
                create temporary table day_repeats on commit drop as
                select distinct on (event_id) arrival_date, event_id, source_file, source_row from %s
                where event_id in (select event_id from %s group by event_id having count(*) > 1)
                order by event_id, source_file, source_row""".formatted(stagedTable, stagedTable));
        jdbc.update("insert into repeated_event (arrival_date, event_id, source_file, source_row) select * from day_repeats");
    }
}
