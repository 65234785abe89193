package tally.infra;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.io.api.Binary;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Parquet's values writers, with two changes to the dictionaries of string columns: a column whose
 * first page holds no value (only nulls) keeps its dictionary, and a value that is the very same
 * {@link Binary} instance as one it has seen takes its dictionary id without hashing its bytes.
 *
 * <p>Parquet judges a column's dictionary once, on its first page: it keeps it only if dictionary
 * plus encoded page are smaller than the plain values. A page of nulls has no values, so 0 < 0
 * fails and the column is written plain for the rest of the row group. Rated events come sorted
 * with null resources first (45% of them: API, gateway, ... events), so their first pages of
 * resource_id, billing_mode, provider, model and conversation_id are all null: segments were 10%
 * larger than with those dictionaries (model alone 84 KB instead of 5 KB in 100k rows). Here a
 * first page without values keeps the dictionary; it still falls back when it outgrows the
 * dictionary page size, as any dictionary does. Format v1 pages only (what Tally writes); v2 keeps
 * Parquet's writers.
 *
 * <p>A dictionary lookup hashes and compares the value's bytes (Binary caches no hash): it was the
 * largest cost of writing rated events. A writer that passes one Binary instance per distinct value
 * (RatedSegmentWriter does) has each value's id found by identity. Instances are remembered up to
 * a few thousand more than the dictionary's values, so a writer passing a new instance per row
 * costs a bounded map; values over reused byte arrays always take the lookup.
 *
 * <p>Everything else is {@link DefaultValuesWriterFactory}'s. Like Parquet's own factory it is
 * initialized by the {@link ParquetProperties} it is built into: give each builder its own instance
 * (and do not build {@code ParquetProperties.copy(p)}: the copy re-initializes the factory it shares
 * with {@code p}).
 */
public final class StringDictionaries implements ValuesWriterFactory {

    private final DefaultValuesWriterFactory standard = new DefaultValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties properties) {
        this.properties = properties;
        standard.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
        ValuesWriter writer = standard.newValuesWriter(column);
        if (properties.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0
                && writer instanceof FallbackValuesWriter<?, ?> fallback
                && fallback.initialWriter instanceof PlainBinaryDictionaryValuesWriter) {
            fallback.initialWriter.close();
            // the encodings of DefaultV1ValuesWriterFactory's dictionaries
            return FallbackValuesWriter.of(new TolerantBinaryDictionary(properties.getDictionaryPageSizeThreshold(),
                    Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, properties.getAllocator()), fallback.fallBackWriter);
        }
        return writer;
    }

    /**
     * A string dictionary that a first page without values does not condemn, and that finds the id
     * of a Binary instance it has seen by identity. A page without values says PLAIN (and has no value
     * bytes): a column that never gets a value has no dictionary page, and readers refuse
     * dictionary-encoded pages without one.
     */
    static final class TolerantBinaryDictionary extends PlainBinaryDictionaryValuesWriter {
        /** Ids by Binary instance, at most this many more than the dictionary's values (instances of equal values). */
        private static final int MAX_EXTRA_INSTANCES = 4096;

        private final Map<Binary, Integer> idsByInstance = new IdentityHashMap<>();
        private int pageValues;

        TolerantBinaryDictionary(int maxDictionaryBytes, Encoding dataPageEncoding, Encoding dictionaryPageEncoding,
                                 ByteBufferAllocator allocator) {
            super(maxDictionaryBytes, dataPageEncoding, dictionaryPageEncoding, allocator);
        }

        @Override
        public boolean isCompressionSatisfying(long rawBytes, long encodedBytes) {
            return rawBytes == 0 || super.isCompressionSatisfying(rawBytes, encodedBytes);
        }

        /** As Parquet's, plus the id of a Binary instance seen before without hashing its bytes. */
        @Override
        public void writeBytes(Binary value) {
            pageValues++;
            Integer known = idsByInstance.get(value);
            if (known != null) {
                encodedValues.add(known);
                return;
            }
            int id = binaryDictionaryContent.getInt(value);
            if (id == -1) {
                id = binaryDictionaryContent.size();
                binaryDictionaryContent.put(value.copy(), id);
                dictionaryByteSize += 4L + value.length(); // as Parquet counts it: a length, then the bytes
            }
            encodedValues.add(id);
            if (!value.isBackingBytesReused() && idsByInstance.size() < binaryDictionaryContent.size() + MAX_EXTRA_INSTANCES) {
                idsByInstance.put(value, id);
            }
        }

        @Override
        protected void clearDictionaryContent() {
            idsByInstance.clear();
            super.clearDictionaryContent();
        }

        @Override
        public BytesInput getBytes() {
            return pageValues == 0 ? BytesInput.empty() : super.getBytes();
        }

        @Override
        public Encoding getEncoding() {
            return pageValues == 0 ? Encoding.PLAIN : super.getEncoding();
        }

        @Override
        public void reset() {
            pageValues = 0;
            super.reset();
        }
    }
}
