package tally.infra;

import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;

/** A Parquet file held in memory (e.g. a segment read from the database), readable as any {@link InputFile}. */
public final class ByteArrayInputFile implements InputFile {

    private final byte[] bytes;

    /** Reads {@code bytes} in place: the caller must not change them while the file is read. */
    public ByteArrayInputFile(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long getLength() {
        return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
        Bytes in = new Bytes(bytes);
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() {
                return in.position();
            }

            @Override
            public void seek(long position) throws EOFException {
                in.seek(position);
            }
        };
    }

    /** A byte array stream whose position can be read and set. */
    private static final class Bytes extends ByteArrayInputStream {
        Bytes(byte[] bytes) {
            super(bytes);
        }

        long position() {
            return pos;
        }

        void seek(long position) throws EOFException {
            if (position < 0 || position > count) {
                throw new EOFException("seek to " + position + " outside a file of " + count + " bytes");
            }
            pos = (int) position;
        }
    }
}
