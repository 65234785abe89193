package tally.infra;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.util.Arrays;

/**
 * A Parquet {@link OutputFile} in memory: one growable buffer, kept from one file to the next so
 * writing many files of similar size does not grow (and copy) a new buffer each time. Each
 * {@link #create} starts an empty file; {@link #toByteArray} copies out what was written.
 * Not thread-safe: one writer at a time.
 */
public final class BytesOutputFile implements OutputFile {

    private byte[] buffer;
    private int size;

    public BytesOutputFile(int initialCapacityBytes) {
        buffer = new byte[Math.max(initialCapacityBytes, 64)];
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        size = 0;
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return size;
            }

            @Override
            public void write(int b) {
                ensure(1);
                buffer[size++] = (byte) b;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                ensure(length);
                System.arraycopy(bytes, offset, buffer, size, length);
                size += length;
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return "memory";
    }

    /** Bytes of the file written since the last {@link #create}. */
    public int size() {
        return size;
    }

    /** A copy of the file written since the last {@link #create}. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (more > buffer.length - size) {
            long needed = (long) size + more;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an in-memory Parquet file cannot exceed 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.length)));
        }
    }
}
