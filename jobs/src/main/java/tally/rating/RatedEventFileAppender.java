package tally.rating;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import tally.infra.AvroParquet;
import tally.infra.ByteArrayInputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One Parquet file of rated events made of segments ({@link RatedSegmentWriter}): each segment's
 * row group is copied as it is (pages, statistics and page indexes), nothing is decoded. The file
 * is written next to its final path and moved there by {@link #close}, replacing any file there,
 * so a reader never sees half a file; with no segment it is a valid file of the schema and no row.
 * If an append fails the file is abandoned (nothing replaces the old one) and the appender refuses
 * further use. Appends may come from several threads: they are serialized.
 */
public final class RatedEventFileAppender implements AutoCloseable {

    private final Path file;
    private final Path temporary;
    private final ParquetFileWriter writer;
    /** The stream of the file being written: closed here when abandoned (an aborted ParquetFileWriter leaves it open). */
    private PositionOutputStream stream;
    private long rows;
    private boolean failed;
    private boolean closed;

    public RatedEventFileAppender(Path file) {
        this.file = file.toAbsolutePath();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".writing");
        try {
            Files.createDirectories(this.file.getParent());
            OutputFile output = new LocalOutputFile(temporary) {
                @Override
                public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
                    stream = super.createOrOverwrite(blockSizeHint);
                    return stream;
                }
            };
            writer = new ParquetFileWriter(output, RatedSegmentWriter.SCHEMA,
                    ParquetFileWriter.Mode.OVERWRITE, ParquetWriter.DEFAULT_BLOCK_SIZE, 0, null, RatedSegmentWriter.PROPERTIES);
            writer.start();
        } catch (IOException e) {
            throw new UncheckedIOException("rated events file " + file + " cannot be written", e);
        }
    }

    /**
     * Appends the row group of a segment (a file of {@link RatedSegmentWriter#SCHEMA}; one without
     * rows adds nothing). A segment of another schema is refused before anything is written.
     */
    public synchronized void append(byte[] segment) {
        usable();
        InputFile in = new ByteArrayInputFile(segment);
        try (ParquetFileReader reader = new ParquetFileReader(in, AvroParquet.readOptions());
             SeekableInputStream stream = in.newStream()) {
            if (!reader.getFileMetaData().getSchema().equals(RatedSegmentWriter.SCHEMA)) {
                throw new IllegalArgumentException("a segment of another schema cannot be appended to " + file + ": "
                        + reader.getFileMetaData().getSchema());
            }
            try {
                for (BlockMetaData block : reader.getRowGroups()) {
                    copy(reader, stream, block);
                    rows += block.getRowCount();
                }
            } catch (IOException | RuntimeException e) {
                abandon();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a segment cannot be appended to " + file, e);
        }
    }

    /** One row group, column chunk by column chunk in the schema's order, with its page indexes. */
    private void copy(ParquetFileReader reader, SeekableInputStream stream, BlockMetaData block) throws IOException {
        Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            chunks.put(chunk.getPath(), chunk);
        }
        writer.startBlock(block.getRowCount());
        for (ColumnDescriptor column : RatedSegmentWriter.SCHEMA.getColumns()) {
            ColumnChunkMetaData chunk = chunks.get(ColumnPath.get(column.getPath()));
            if (chunk == null) {
                throw new IllegalArgumentException("a segment without column " + ColumnPath.get(column.getPath()));
            }
            writer.appendColumnChunk(column, stream, chunk, reader.readBloomFilter(chunk), reader.readColumnIndex(chunk),
                    reader.readOffsetIndex(chunk));
        }
        writer.endBlock();
    }

    /** Rows appended so far. */
    public synchronized long rows() {
        return rows;
    }

    /** Writes the footer and moves the file to its path (unless an append failed: then only cleans up). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            return;
        }
        try {
            writer.end(RatedSegmentWriter.FOOTER);
            writer.close();
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            abandon();
            throw new UncheckedIOException("rated events file " + file + " cannot be written", e);
        }
    }

    private void usable() {
        if (closed || failed) {
            throw new IllegalStateException("rated events file " + file + (failed ? " was abandoned after a failure" : " is closed"));
        }
    }

    private void abandon() {
        failed = true;
        writer.abort();
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // the file is being abandoned; the original failure is what matters
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // a left-over .writing file is replaced by the next attempt
        }
    }
}
