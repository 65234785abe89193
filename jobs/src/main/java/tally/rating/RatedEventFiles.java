package tally.rating;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The run's rated-events files, {@code part-<i>-of-<N>.parquet}, one per account partition: the
 * row groups of the partition's rated segments ({@code usage_segment}) copied as they are, in
 * (bucket, segment) order, one segment in memory at a time. Written by the manager from the database, so remote workers leave
 * nothing under their own homes.
 */
@Component
public class RatedEventFiles {

    private final JdbcTemplate jdbc;

    public RatedEventFiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void write(LocalDate arrivalDay, int partitions, Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("rated-events folder " + dir + " cannot be made", e);
        }
        for (int index = 0; index < partitions; index++) {
            Path file = dir.resolve("part-" + (index + 1) + "-of-" + partitions + ".parquet");
            try (RatedEventFileAppender out = new RatedEventFileAppender(file)) {
                for (RatedSegments.Key key : RatedSegments.ofPartition(jdbc, arrivalDay, partitions, index)) {
                    out.append(RatedSegments.data(jdbc, key));
                }
            }
        }
    }
}
