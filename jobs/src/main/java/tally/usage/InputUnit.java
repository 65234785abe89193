package tally.usage;

import java.nio.file.Path;

/**
 * A unit of reading work: one row group of a Parquet file or a range of its rows, or a whole Avro
 * file (its only unit, numbered 0). Units of a file can be read on different threads
 * ({@link UsageFileReader#UsageFileReader(InputUnit)}); their rows keep the numbers they have in the
 * whole file.
 *
 * @param file        the file
 * @param displayName the name rows carry as their source file (e.g. {@code date=2026-03-02/part-000.parquet})
 * @param rowGroup    the index in the file of the row group the unit is (part of); 0 for an Avro file
 * @param firstRow    rows of the file before this unit's first row
 * @param rows        rows in this unit
 */
public record InputUnit(Path file, String displayName, int rowGroup, long firstRow, long rows) {
}
