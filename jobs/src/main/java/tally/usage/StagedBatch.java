package tally.usage;

import tally.infra.AvroParquet;
import tally.infra.StringCodes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The compact form of a batch of staged rows (validated {@link UsageEvent}s and their row keys),
 * as stored in {@code staged_chunk} between staging and rating. Row by row: numbers as varints;
 * low-cardinality strings as references into a per-batch dictionary of each column; event and
 * conversation ids as the length of the prefix they share with the previous row's and the rest.
 * A batch of the benchmark's rows takes ~35 bytes a row.
 */
public final class StagedBatch {

    private static final int NULL = 0;
    private static final int NEW = 1;
    /** Dictionary columns, in encoding order. */
    private static final int SOURCE_FILE = 0, KIND = 1, ACCOUNT = 2, PROJECT = 3, RESOURCE = 4, END_USER = 5,
            PLATFORM = 6, PROVIDER = 7, MODEL = 8, BILLING_MODE = 9, DICTIONARY_COLUMNS = 10;
    private static final UsageKind[] KINDS = UsageKind.values();

    private StagedBatch() {
    }

    /** One staged row as read back. */
    public record Row(UsageEvent event, long rowKey) {
    }

    /** Encodes rows appended one at a time. */
    public static final class Writer {
        private final Bytes out = new Bytes();
        private final StringCodes[] dictionaries = new StringCodes[DICTIONARY_COLUMNS];
        private String previousEventId = "";
        private String previousConversationId = "";
        private int rows;

        public Writer() {
            for (int i = 0; i < DICTIONARY_COLUMNS; i++) {
                dictionaries[i] = new StringCodes();
            }
        }

        public void add(UsageEvent e, long rowKey) {
            out.varint(rowKey);
            string(SOURCE_FILE, e.sourceFile());
            out.varint(e.sourceRow());
            previousEventId = prefixed(e.eventId(), previousEventId);
            out.varint(zigzag(AvroParquet.epochMicros(e.occurredAt())));
            out.write(e.kind().ordinal());
            string(ACCOUNT, e.accountId());
            string(PROJECT, e.projectId());
            string(RESOURCE, e.resourceId());
            if (e.conversationId() == null) {
                out.varint(0); // a prefixed id starts with 1 + its shared length: never 0
            } else {
                previousConversationId = prefixed(e.conversationId(), previousConversationId);
            }
            string(END_USER, e.endUserId());
            string(PLATFORM, e.platform());
            string(PROVIDER, e.provider());
            string(MODEL, e.model());
            string(BILLING_MODE, e.billingMode());
            out.varint(e.tokensInput());
            out.varint(e.tokensOutput());
            out.varint(e.iterations() == null ? 0 : e.iterations() + 1L);
            out.varint(e.latencyMs() == null ? 0 : e.latencyMs() + 1);
            out.write(e.success() ? 1 : 0);
            out.varint(e.quantity());
            rows++;
        }

        public int rows() {
            return rows;
        }

        public int sizeBytes() {
            return out.size();
        }

        /** The batch's bytes; the writer starts a new, empty batch. */
        public byte[] finish() {
            byte[] bytes = out.toByteArray();
            out.reset();
            for (StringCodes d : dictionaries) {
                d.clear();
            }
            previousEventId = "";
            previousConversationId = "";
            rows = 0;
            return bytes;
        }

        private void string(int column, String value) {
            if (value == null) {
                out.varint(NULL);
                return;
            }
            int known = dictionaries[column].codeOrAdd(value);
            if (known >= 0) {
                out.varint(known + 2L);
                return;
            }
            out.varint(NEW);
            out.utf8(value);
        }

        /** Writes (1 + shared prefix length, rest) and returns the value as the next previous one. */
        private String prefixed(String value, String previous) {
            int shared = 0;
            int max = Math.min(value.length(), previous.length());
            while (shared < max && value.charAt(shared) == previous.charAt(shared)) {
                shared++;
            }
            out.varint(shared + 1L);
            out.utf8(value.substring(shared));
            return value;
        }
    }

    /** Decodes a batch, row by row, in the order the rows were added. */
    public static void read(byte[] batch, Consumer<Row> rows) {
        rows(batch, UnaryOperator.identity()).forEachRemaining(rows);
    }

    /**
     * The batch's rows, decoded one at a time as they are asked for: a bucket's rows are rated as
     * they are decoded, so no more than one row of them need be held (rate-and-post held each
     * bucket's ~100k decoded rows, ~30 MB, through every young collection it ran into). Each
     * dictionary column's text passes through {@code dictionaryText} once per batch and value (an
     * equal String: {@link CanonicalText}).
     */
    public static Iterator<Row> rows(byte[] batch, UnaryOperator<String> dictionaryText) {
        return new Decoder(batch, dictionaryText);
    }

    /** The decoding state of one batch: its dictionaries so far and the previous row's prefixed ids. */
    private static final class Decoder implements Iterator<Row> {
        private final Cursor in;
        @SuppressWarnings("unchecked")
        private final List<String>[] dictionaries = new List[DICTIONARY_COLUMNS];
        private String eventId = "";
        private String conversation = "";

        Decoder(byte[] batch, UnaryOperator<String> dictionaryText) {
            in = new Cursor(batch, dictionaryText);
            for (int i = 0; i < DICTIONARY_COLUMNS; i++) {
                dictionaries[i] = new ArrayList<>();
            }
        }

        @Override
        public boolean hasNext() {
            return in.hasMore();
        }

        @Override
        public Row next() {
            if (!in.hasMore()) {
                throw new NoSuchElementException();
            }
            long rowKey = in.varint();
            String sourceFile = in.string(dictionaries[SOURCE_FILE]);
            long sourceRow = in.varint();
            eventId = in.prefixed(eventId);
            long micros = unzigzag(in.varint());
            UsageKind kind = KINDS[in.read()];
            String account = in.string(dictionaries[ACCOUNT]);
            String project = in.string(dictionaries[PROJECT]);
            String resource = in.string(dictionaries[RESOURCE]);
            String conversationId = null;
            if (in.peekVarintIsZero()) {
                in.varint();
            } else {
                conversation = in.prefixed(conversation);
                conversationId = conversation;
            }
            String endUser = in.string(dictionaries[END_USER]);
            String platform = in.string(dictionaries[PLATFORM]);
            String provider = in.string(dictionaries[PROVIDER]);
            String model = in.string(dictionaries[MODEL]);
            String billingMode = in.string(dictionaries[BILLING_MODE]);
            long tokensInput = in.varint();
            long tokensOutput = in.varint();
            long iterations = in.varint();
            long latency = in.varint();
            boolean success = in.read() == 1;
            long quantity = in.varint();
            return new Row(new UsageEvent(sourceFile, sourceRow, eventId,
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L),
                    kind, account, project, resource, conversationId, endUser, platform, provider, model, billingMode,
                    tokensInput, tokensOutput, iterations == 0 ? null : (int) (iterations - 1),
                    latency == 0 ? null : latency - 1, success, quantity), rowKey);
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable byte buffer with varint and UTF-8 writes (unsynchronized, unlike ByteArrayOutputStream). */
    private static final class Bytes {
        private byte[] buf = new byte[1 << 12];
        private int size;

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void varint(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative value " + v + " in a staged row");
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void utf8(String s) {
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = s.charAt(i) < 0x80;
            }
            if (ascii) { // ids are ASCII: written without an intermediate array
                varint(n);
                ensure(n);
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) s.charAt(i);
                }
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        void reset() {
            size = 0;
        }
    }

    private static final class Cursor {
        private final byte[] bytes;
        private final UnaryOperator<String> dictionaryText;
        private int position;

        Cursor(byte[] bytes, UnaryOperator<String> dictionaryText) {
            this.bytes = bytes;
            this.dictionaryText = dictionaryText;
        }

        boolean hasMore() {
            return position < bytes.length;
        }

        int read() {
            return bytes[position++] & 0xFF;
        }

        boolean peekVarintIsZero() {
            return bytes[position] == 0;
        }

        long varint() {
            long value = 0;
            int shift = 0;
            while (true) {
                int b = read();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
            }
        }

        String utf8() {
            int length = (int) varint();
            String s = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }

        String string(List<String> dictionary) {
            long code = varint();
            if (code == NULL) {
                return null;
            }
            if (code == NEW) {
                String s = dictionaryText.apply(utf8());
                dictionary.add(s);
                return s;
            }
            return dictionary.get((int) (code - 2));
        }

        String prefixed(String previous) {
            int shared = (int) varint() - 1;
            return previous.substring(0, shared) + utf8();
        }
    }

}
