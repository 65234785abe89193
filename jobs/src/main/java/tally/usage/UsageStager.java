package tally.usage;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.BadInputException;
import tally.infra.DayPartitions;
import tally.infra.FaultInjection;
import tally.infra.PgCopy;
import tally.rating.Rater;
import tally.rating.RatingOutcome;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stages one arrival day: reads its files (one thread per input unit), checks every row (row
 * checks, then the reference and price checks rating would make, so every reject of the day is
 * known here), and keeps the accepted rows in {@code staged_chunk} by account bucket. Then it
 * decides which accepted rows are not rated: repeats of an id seen earlier in the day (the first
 * sighting in (file, row) order is kept, whatever its account) and ids rated on another day of
 * their dedup window ({@code event_id_set}). Too many rejects fail the day here, before anything
 * is rated or posted. The day's rated ids become its own {@code event_id_set}.
 *
 * <p>Restartable: it starts by removing whatever an earlier attempt staged for the day. Its writes
 * commit as they go; what the later steps rely on ({@code stage_day}, the drops and the id set) is
 * written in one transaction at the end.
 */
@Component
public class UsageStager {

    /** Rows per staged batch (a bucket's rows of one input unit are cut into batches of this many). */
    static final int BATCH_ROWS = 4096;
    /**
     * Default of {@code tally.stage.max-buffered-bytes}: the bytes of unwritten batches one input
     * unit keeps at most; past it, its buckets' larger batches are written out early. A unit holds
     * a batch per bucket, and the bucket count grows with the day (Buckets): without this bound, a
     * 100M-event day kept ~460 MB of batches live.
     */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L << 20;
    /** Rejects are written in batches of this many, so a bad file cannot fill memory. */
    static final int REJECT_BATCH = 1000;
    /**
     * Memory for sightings, all staging threads together (system property tally.stage.sightings-mb);
     * beyond it they are sorted and spilled to files in runs (10M rows: 320 MB of sightings).
     */
    static final long SIGHTINGS_BYTES = Long.getLong("tally.stage.sightings-mb", 64) << 20;
    /** Set by {@code ./tally} when stderr is a terminal. */
    static final String PROGRESS_PROPERTY = "tally.progress";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate newTransaction;
    private final long maxBufferedBytes;

    public UsageStager(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                       @Value("${tally.stage.max-buffered-bytes:" + DEFAULT_MAX_BUFFERED_BYTES + "}") long maxBufferedBytes) {
        this.maxBufferedBytes = maxBufferedBytes;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public record StageResult(long rowsRead, long rowsAccepted, long duplicates, long rejected, int files, int buckets) {
    }

    /** What staging needs besides the day: the rules and reference data rating will use, and limits. */
    public record Day(LocalDate arrivalDay, Path inputDir, Duration allowedLateness, BigDecimal maxRejectRate,
                      RatingRules rules, ReferenceData reference, Path scratchDir, int threads) {
    }

    public StageResult stage(Day day) {
        LocalDate arrival = day.arrivalDay();
        List<Path> files = UsageFiles.list(day.inputDir(), arrival);
        List<InputUnit> units = new ArrayList<>();
        List<Integer> fileIndexes = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            String name = UsageFiles.partition(day.inputDir(), arrival).getFileName() + "/" + files.get(f).getFileName();
            for (InputUnit unit : UsageFileReader.units(files.get(f), name)) {
                units.add(unit);
                fileIndexes.add(f);
            }
        }
        long expectedRows = units.stream().mapToLong(InputUnit::rows).sum();
        Buckets buckets = Buckets.forDay(expectedRows, day.reference().accounts().size());
        clear(arrival);
        // Committed before any thread writes: the threads write on connections of their own.
        newTransaction.executeWithoutResult(status -> {
            DayPartitions.stagedChunks(jdbc).create(arrival);
            DayPartitions.stagedDrops(jdbc).create(arrival);
        });

        CanonicalText canonical = new CanonicalText(day.reference(), day.rules());
        int threads = Math.max(1, Math.min(day.threads(), units.size()));
        int capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, SIGHTINGS_BYTES / threads / Sightings.BYTES_PER_SIGHTING));
        List<Sightings> sightings = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            sightings.add(new Sightings(day.scratchDir(), capacity));
        }
        try {
            Counts counts = readUnits(day, units, fileIndexes, buckets, canonical, sightings, threads);
            checkRejects(day, counts);
            long duplicates = newTransaction.execute(status -> dedupAndKeep(day, buckets, sightings, counts));
            return new StageResult(counts.read.get(), counts.accepted.get(), duplicates, counts.rejected.get(),
                    files.size(), buckets.count());
        } finally {
            sightings.forEach(Sightings::close);
        }
    }

    /** Removes an earlier attempt's staging of the day (in its own transaction, before any thread writes). */
    public void clear(LocalDate arrival) {
        newTransaction.executeWithoutResult(status -> {
            Date day = Date.valueOf(arrival);
            jdbc.update("delete from stage_day where arrival_date = ?", day);
            jdbc.update("delete from rejected_event where arrival_date = ?", day);
            new EventIdSets(jdbc).delete(arrival);
            DayPartitions.stagedChunks(jdbc).drop(arrival);
            DayPartitions.stagedDrops(jdbc).drop(arrival);
        });
    }

    private static final class Counts {
        final AtomicLong read = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
    }

    private Counts readUnits(Day day, List<InputUnit> units, List<Integer> fileIndexes, Buckets buckets,
                             CanonicalText canonical, List<Sightings> sightings, int threads) {
        Counts counts = new Counts();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stage-" + day.arrivalDay());
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar progress = progressBar(day.arrivalDay())) {
            List<Future<?>> running = new ArrayList<>();
            java.util.concurrent.BlockingQueue<Sightings> free = new java.util.concurrent.LinkedBlockingQueue<>(sightings);
            for (int u = 0; u < units.size(); u++) {
                int unitIndex = u;
                running.add(pool.submit(() -> {
                    Sightings mine = free.take();
                    try {
                        readUnit(day, unitIndex, units.get(unitIndex), fileIndexes.get(unitIndex), buckets, canonical,
                                mine, counts, progress);
                    } finally {
                        free.add(mine);
                    }
                    return null;
                }));
            }
            for (Future<?> unit : running) {
                unit.get();
            }
        } catch (ExecutionException e) {
            pool.shutdownNow();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while staging " + day.arrivalDay(), e);
        } finally {
            pool.shutdownNow();
        }
        return counts;
    }

    private void readUnit(Day day, int unitIndex, InputUnit unit, int fileIndex, Buckets buckets, CanonicalText canonical,
                          Sightings sightings, Counts counts, ProgressBar progress) {
        RowValidator validator = new RowValidator(day.arrivalDay(), day.allowedLateness());
        Rater rater = new Rater(day.rules(), day.reference());
        Map<Integer, StagedBatch.Writer> batches = new HashMap<>();
        Map<Integer, Integer> seqs = new HashMap<>();
        List<RowOutcome.Rejected> rejects = new ArrayList<>();
        String chunkTable = DayPartitions.stagedChunks(jdbc).table(day.arrivalDay());
        long read = 0;
        long accepted = 0;
        long bufferedBytes = 0;
        try (UsageFileReader reader = new UsageFileReader(unit, canonical)) {
            while (reader.hasNext()) {
                RawRow row = reader.next();
                read++;
                FaultInjection.checkpoint("read-row");
                if (progress != null) {
                    progress.step();
                }
                RowOutcome outcome = validator.validate(row);
                if (outcome instanceof RowOutcome.Accepted a) {
                    UsageEvent e = a.event();
                    RatingOutcome.Rejected rejected = rater.rejection(e);
                    if (rejected != null) {
                        outcome = new RowOutcome.Rejected(e.sourceFile(), e.sourceRow(), e.eventId(), rejected.reason(), rejected.detail());
                    } else {
                        int bucket = buckets.of(e.accountId());
                        long rowKey = Sightings.rowKey(fileIndex, e.sourceRow());
                        StagedBatch.Writer batch = batches.computeIfAbsent(bucket, b -> new StagedBatch.Writer());
                        int bytesBefore = batch.sizeBytes();
                        batch.add(e, rowKey);
                        bufferedBytes += batch.sizeBytes() - bytesBefore;
                        if (batch.rows() == BATCH_ROWS) {
                            bufferedBytes -= batch.sizeBytes();
                            writeChunk(chunkTable, day.arrivalDay(), bucket, unitIndex, seqs, batch);
                            batches.remove(bucket); // its grown buffer goes with it
                        } else if (bufferedBytes > maxBufferedBytes) {
                            bufferedBytes -= writeLargerBatches(chunkTable, day.arrivalDay(), unitIndex, seqs, batches, bufferedBytes);
                        }
                        sightings.add(EventIdHash.of(e.eventId()), rowKey, bucket, (int) e.usageDate().toEpochDay());
                        accepted++;
                        continue;
                    }
                }
                rejects.add((RowOutcome.Rejected) outcome);
                if (rejects.size() == REJECT_BATCH) {
                    RejectStore.insert(jdbc, day.arrivalDay(), rejects);
                    counts.rejected.addAndGet(rejects.size());
                    rejects.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        batches.forEach((bucket, batch) -> {
            if (batch.rows() > 0) {
                writeChunk(chunkTable, day.arrivalDay(), bucket, unitIndex, seqs, batch);
            }
        });
        RejectStore.insert(jdbc, day.arrivalDay(), rejects);
        counts.rejected.addAndGet(rejects.size());
        counts.read.addAndGet(read);
        counts.accepted.addAndGet(accepted);
    }

    /**
     * Writes out and forgets the batches at least as large as the average: at least one, and
     * together at least half of the {@code bufferedBytes}. Returns the bytes written.
     */
    private long writeLargerBatches(String table, LocalDate day, int unit, Map<Integer, Integer> seqs,
                                    Map<Integer, StagedBatch.Writer> batches, long bufferedBytes) {
        long average = bufferedBytes / batches.size();
        long written = 0;
        for (Iterator<Map.Entry<Integer, StagedBatch.Writer>> it = batches.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, StagedBatch.Writer> entry = it.next();
            StagedBatch.Writer batch = entry.getValue();
            if (batch.rows() > 0 && batch.sizeBytes() >= average) {
                written += batch.sizeBytes();
                writeChunk(table, day, entry.getKey(), unit, seqs, batch);
                it.remove();
            }
        }
        return written;
    }

    private void writeChunk(String table, LocalDate day, int bucket, int unit, Map<Integer, Integer> seqs,
                            StagedBatch.Writer batch) {
        int seq = seqs.merge(bucket, 1, Integer::sum) - 1;
        int rows = batch.rows();
        jdbc.update("insert into " + table + " (arrival_date, bucket, unit, seq, rows, data) values (?, ?, ?, ?, ?, ?)",
                Date.valueOf(day), bucket, unit, seq, rows, batch.finish());
    }

    /** Too many rejects: the day's staged rows go, the rejects stay for inspection, nothing is rated (exit 2). */
    private void checkRejects(Day day, Counts counts) {
        long read = counts.read.get();
        long rejected = counts.rejected.get();
        if (read == 0) {
            return;
        }
        BigDecimal rate = BigDecimal.valueOf(rejected).divide(BigDecimal.valueOf(read), MathContext.DECIMAL64);
        if (rate.compareTo(day.maxRejectRate()) > 0) {
            DayPartitions.stagedChunks(jdbc).drop(day.arrivalDay());
            DayPartitions.stagedDrops(jdbc).drop(day.arrivalDay());
            throw new BadInputException(rejected + " of " + read + " rows of "
                    + UsageFiles.partition(day.inputDir(), day.arrivalDay()) + " were rejected ("
                    + rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%), over the limit of "
                    + day.maxRejectRate().movePointRight(2).stripTrailingZeros().toPlainString()
                    + "% (option --max-reject-rate); nothing was posted. First rejects: " + firstRejects(day.arrivalDay()));
        }
    }

    private String firstRejects(LocalDate day) {
        return String.join("; ", jdbc.queryForList("""
                select source_file || ' row ' || source_row || ': ' || reason || coalesce(' (' || detail || ')', '')
                from rejected_event where arrival_date = ? order by source_file, source_row limit 3""", String.class,
                Date.valueOf(day)));
    }

    /**
     * One pass over the day's sightings in (hash, row key) order: the first of each id is its first
     * sighting; the others are dropped, and so is a first sighting whose id another day of its dedup
     * window rated. The rest is the day's id set. Returns the rows dropped.
     */
    private long dedupAndKeep(Day day, Buckets buckets, List<Sightings> sightings, Counts counts) {
        LocalDate arrival = day.arrivalDay();
        long lateness = day.allowedLateness().toDays();
        // Every window lies within the day minus the lateness and a day either side (the
        // validator accepts usage days from arrival - lateness to arrival + 1).
        List<EventIdSets.Probe> others = new ArrayList<>();
        EventIdSets sets = new EventIdSets(jdbc);
        for (LocalDate other : sets.daysWithin(arrival.minusDays(lateness + 2), arrival.plusDays(lateness + 2))) {
            if (!other.equals(arrival)) {
                others.add(sets.probe(other));
            }
        }
        long dropped = 0;
        try (Sightings.Merge merge = Sightings.merge(sightings);
             // A batching copier: between its batches the connection is free for the id set's inserts.
             PgCopy drops = new PgCopy(dataSource, DayPartitions.stagedDrops(jdbc).table(arrival),
                     List.of("arrival_date", "bucket", "row_key"));
             EventIdSets.Writer kept = sets.writer(arrival)) {
            Sightings.Sighting s = new Sightings.Sighting();
            Sightings.Sighting first = new Sightings.Sighting();
            boolean any = false;
            while (merge.next(s)) {
                if (any && s.sameId(first)) {
                    drops.row(arrival, s.bucket, s.rowKey);
                    dropped++;
                    continue;
                }
                first.copyFrom(s);
                any = true;
                if (ratedOnAnotherDay(first, others, lateness)) {
                    drops.row(arrival, first.bucket, first.rowKey);
                    dropped++;
                } else {
                    kept.add(first.hashHi, first.hashLo);
                }
            }
        }
        jdbc.update("""
                insert into stage_day (arrival_date, buckets, rows_read, rows_accepted, duplicates, rejected)
                values (?, ?, ?, ?, ?, ?)""", Date.valueOf(arrival), buckets.count(), counts.read.get(),
                counts.accepted.get(), dropped, counts.rejected.get());
        return dropped;
    }

    /**
     * Whether a day whose window holds the sighting's usage day rated its id: a copy of an event can
     * only have been accepted from the day before its usage day (an hour's tolerance into the
     * future) to its usage day plus the allowed lateness and a day (docs/rulings.md "Dedup window").
     * Every probe is asked in ascending hash order, as the merge delivers them.
     */
    private static boolean ratedOnAnotherDay(Sightings.Sighting first, List<EventIdSets.Probe> others, long lateness) {
        long from = first.usageEpochDay - 1L;
        long to = first.usageEpochDay + lateness + 1;
        for (EventIdSets.Probe other : others) {
            long day = other.day().toEpochDay();
            if (day >= from && day <= to && other.contains(first.hashHi, first.hashLo)) {
                return true;
            }
        }
        return false;
    }

    /** A progress bar on stderr when a person is watching it, none in cron logs. */
    private static ProgressBar progressBar(LocalDate arrivalDay) {
        if (!Boolean.getBoolean(PROGRESS_PROPERTY)) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("read " + arrivalDay).setUnit(" rows", 1)
                .setStyle(ProgressBarStyle.ASCII).setInitialMax(-1).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
