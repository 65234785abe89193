package tally.infra;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** A Parquet {@link InputFile} over bytes in memory (a segment read from the database), without copying them. */
public final class BytesInputFile implements InputFile {

    private final byte[] bytes;

    public BytesInputFile(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public long getLength() {
        return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new SeekableInputStream() {
            private int pos;

            @Override
            public long getPos() {
                return pos;
            }

            @Override
            public void seek(long newPos) throws EOFException {
                if (newPos < 0 || newPos > bytes.length) {
                    throw new EOFException("seek to " + newPos + " in " + bytes.length + " bytes");
                }
                pos = (int) newPos;
            }

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                Objects.checkFromIndexSize(offset, length, target.length);
                if (length == 0) {
                    return 0;
                }
                int n = Math.min(length, bytes.length - pos);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(bytes, pos, target, offset, n);
                pos += n;
                return n;
            }

            @Override
            public long skip(long n) {
                int skipped = (int) Math.max(0, Math.min(n, bytes.length - pos));
                pos += skipped;
                return skipped;
            }

            @Override
            public int available() {
                return bytes.length - pos;
            }

            @Override
            public void readFully(byte[] target) throws EOFException {
                readFully(target, 0, target.length);
            }

            @Override
            public void readFully(byte[] target, int offset, int length) throws EOFException {
                Objects.checkFromIndexSize(offset, length, target.length);
                if (length > bytes.length - pos) {
                    throw new EOFException("reading " + length + " bytes at " + pos + " of " + bytes.length);
                }
                System.arraycopy(bytes, pos, target, offset, length);
                pos += length;
            }

            @Override
            public int read(ByteBuffer target) {
                if (!target.hasRemaining()) {
                    return 0;
                }
                int n = Math.min(target.remaining(), bytes.length - pos);
                if (n <= 0) {
                    return -1;
                }
                target.put(bytes, pos, n);
                pos += n;
                return n;
            }

            @Override
            public void readFully(ByteBuffer target) throws EOFException {
                int length = target.remaining();
                if (length > bytes.length - pos) {
                    throw new EOFException("reading " + length + " bytes at " + pos + " of " + bytes.length);
                }
                target.put(bytes, pos, length);
                pos += length;
            }
        };
    }

    @Override
    public String toString() {
        return "memory (" + bytes.length + " bytes)";
    }
}
