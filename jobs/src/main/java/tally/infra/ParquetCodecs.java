package tally.infra;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet page compression without Hadoop: snappy (snappy-java), zstd (zstd-jni) and gzip (the JDK),
 * the codecs DuckDB, Spark and pyarrow write. Parquet's own codec factory builds a Hadoop
 * Configuration, which needs Hadoop's whole dependency tree; this one needs nothing more.
 */
public final class ParquetCodecs implements CompressionCodecFactory {

    public static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private ParquetCodecs() {
    }

    /** Page bytes in, page bytes out, for one codec. */
    private interface Codec {
        byte[] compress(byte[] raw) throws IOException;

        byte[] decompress(byte[] compressed, int uncompressedSize) throws IOException;
    }

    private static Codec codec(CompressionCodecName name) {
        return switch (name) {
            case UNCOMPRESSED -> new Codec() {
                public byte[] compress(byte[] raw) {
                    return raw;
                }

                public byte[] decompress(byte[] compressed, int uncompressedSize) {
                    return compressed;
                }
            };
            case SNAPPY -> new Codec() {
                public byte[] compress(byte[] raw) throws IOException {
                    return Snappy.compress(raw);
                }

                public byte[] decompress(byte[] compressed, int uncompressedSize) throws IOException {
                    return Snappy.uncompress(compressed);
                }
            };
            case ZSTD -> new Codec() {
                public byte[] compress(byte[] raw) {
                    return Zstd.compress(raw);
                }

                public byte[] decompress(byte[] compressed, int uncompressedSize) {
                    return Zstd.decompress(compressed, uncompressedSize);
                }
            };
            case GZIP -> new Codec() {
                public byte[] compress(byte[] raw) throws IOException {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                        gzip.write(raw);
                    }
                    return out.toByteArray();
                }

                public byte[] decompress(byte[] compressed, int uncompressedSize) throws IOException {
                    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                        return gzip.readNBytes(uncompressedSize);
                    }
                }
            };
            default -> throw new UnsupportedCodecException(name);
        };
    }

    /** A file compressed with a codec Tally does not read (LZO, Brotli, LZ4): the file is refused by name. */
    public static final class UnsupportedCodecException extends IllegalArgumentException {
        UnsupportedCodecException(CompressionCodecName name) {
            super("Parquet compression " + name + " is not supported (snappy, zstd, gzip and uncompressed are)");
        }
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName name) {
        Codec codec = codec(name);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(codec.compress(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return name;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
        Codec codec = codec(name);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(codec.decompress(bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] compressed = new byte[compressedSize];
                input.get(compressed);
                output.put(codec.decompress(compressed, uncompressedSize));
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }
}
