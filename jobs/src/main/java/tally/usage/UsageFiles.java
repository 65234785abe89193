package tally.usage;

import tally.infra.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

/** The Hive-style partition of one arrival day: {@code <input>/date=YYYY-MM-DD/*.parquet|*.avro}. */
public final class UsageFiles {

    private UsageFiles() {
    }

    public static Path partition(Path inputDir, LocalDate arrivalDay) {
        return inputDir.resolve("date=" + arrivalDay);
    }

    /** The day's files in name order; a missing partition directory is bad input. */
    public static List<Path> list(Path inputDir, LocalDate arrivalDay) {
        Path dir = partition(inputDir, arrivalDay);
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("no input partition " + dir + " for " + arrivalDay + " (option --input)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> isParquet(f) || isAvro(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BadInputException("input partition " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    static boolean isParquet(Path file) {
        return file.getFileName().toString().endsWith(".parquet");
    }

    static boolean isAvro(Path file) {
        return file.getFileName().toString().endsWith(".avro");
    }
}
