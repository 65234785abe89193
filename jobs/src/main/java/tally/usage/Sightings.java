package tally.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The event id of every accepted row of one arrival day, as a sighting: (id hash, row key, bucket,
 * usage day). Sorted by hash and then row key, so the first of equal hashes is the id's first
 * sighting in (file, row) order. Memory is bounded by {@code capacity} per collector: a full
 * collector sorts its sightings and spills them to a file as one run; {@link #merge} streams every
 * run of every collector in order. Not thread-safe: one collector per staging thread.
 */
final class Sightings implements AutoCloseable {

    /** Bytes a buffered sighting takes: three longs and two ints (and so in a spilled run). */
    static final int BYTES_PER_SIGHTING = 32;
    /**
     * A spilled run is written and read through a buffer of this many bytes, by whole sightings: the
     * day's dedup is one thread merging every run, and reading each value by a DataInputStream
     * call (a lock and a copy each) was most of that thread's time (JFR, 10M events).
     */
    private static final int RUN_BUFFER_BYTES = 2048 * BYTES_PER_SIGHTING;

    private final Path spillDir;
    private final int capacity;
    private final long[] hashHi;
    private final long[] hashLo;
    private final long[] rowKey;
    private final int[] bucket;
    private final int[] usageEpochDay;
    private int size;
    private final List<Path> spilled = new ArrayList<>();

    Sightings(Path spillDir, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.spillDir = spillDir;
        this.capacity = capacity;
        hashHi = new long[capacity];
        hashLo = new long[capacity];
        rowKey = new long[capacity];
        bucket = new int[capacity];
        usageEpochDay = new int[capacity];
    }

    /** The row key of a row: its input file's index in the day's file list and its row in that file. */
    static long rowKey(int fileIndex, long sourceRow) {
        if (fileIndex < 0 || fileIndex >= 1 << 23 || sourceRow < 0 || sourceRow >= 1L << 40) {
            throw new IllegalArgumentException("row " + sourceRow + " of file " + fileIndex + " is beyond the row key's range");
        }
        return ((long) fileIndex << 40) | sourceRow;
    }

    void add(EventIdHash hash, long key, int bucketIndex, int epochDay) {
        if (size == capacity) {
            spill();
        }
        hashHi[size] = hash.hi();
        hashLo[size] = hash.lo();
        rowKey[size] = key;
        bucket[size] = bucketIndex;
        usageEpochDay[size] = epochDay;
        size++;
    }

    /** Sorts the buffered sightings and writes them to a new run file. */
    private void spill() {
        sort(0, size);
        try {
            Files.createDirectories(spillDir);
            Path file = Files.createTempFile(spillDir, "sightings-", ".run");
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.allocate(RUN_BUFFER_BYTES);
                for (int i = 0; i < size; i++) {
                    if (!buffer.hasRemaining()) {
                        writeAll(out, buffer);
                    }
                    buffer.putLong(hashHi[i]).putLong(hashLo[i]).putLong(rowKey[i]).putInt(bucket[i]).putInt(usageEpochDay[i]);
                }
                writeAll(out, buffer);
            }
            spilled.add(file);
        } catch (IOException e) {
            throw new UncheckedIOException("sightings cannot be spilled to " + spillDir, e);
        }
        size = 0;
    }

    private static void writeAll(FileChannel out, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    /**
     * All sightings of these collectors in (hash, row key) order. Each collector's buffer is sorted
     * in place, the collectors side by side (one per staging thread).
     */
    static Merge merge(List<Sightings> collectors) {
        collectors.parallelStream().forEach(s -> s.sort(0, s.size));
        List<Run> runs = new ArrayList<>();
        for (Sightings s : collectors) {
            if (s.size > 0) {
                runs.add(new MemoryRun(s));
            }
            for (Path file : s.spilled) {
                runs.add(new FileRun(file));
            }
        }
        return new Merge(runs);
    }

    @Override
    public void close() {
        for (Path file : spilled) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        spilled.clear();
    }

    private int compare(int i, int j) {
        int byHash = EventIdHash.compare(hashHi[i], hashLo[i], hashHi[j], hashLo[j]);
        return byHash != 0 ? byHash : Long.compare(rowKey[i], rowKey[j]);
    }

    private void swap(int i, int j) {
        long h = hashHi[i]; hashHi[i] = hashHi[j]; hashHi[j] = h;
        long l = hashLo[i]; hashLo[i] = hashLo[j]; hashLo[j] = l;
        long k = rowKey[i]; rowKey[i] = rowKey[j]; rowKey[j] = k;
        int b = bucket[i]; bucket[i] = bucket[j]; bucket[j] = b;
        int d = usageEpochDay[i]; usageEpochDay[i] = usageEpochDay[j]; usageEpochDay[j] = d;
    }

    /** Quicksort of [from, to) with the middle element as pivot (hashes are uniformly distributed), insertion sort below 24. */
    private void sort(int from, int to) {
        while (to - from > 24) {
            swap((from + to) >>> 1, to - 1);
            int store = from;
            for (int i = from; i < to - 1; i++) {
                if (compare(i, to - 1) < 0) {
                    swap(i, store++);
                }
            }
            swap(store, to - 1);
            if (store - from < to - store - 1) {
                sort(from, store);
                from = store + 1;
            } else {
                sort(store + 1, to);
                to = store;
            }
        }
        for (int i = from + 1; i < to; i++) {
            for (int j = i; j > from && compare(j - 1, j) > 0; j--) {
                swap(j - 1, j);
            }
        }
    }

    /** One sighting, as the merge's cursor (overwritten by every {@link Merge#next}). */
    static final class Sighting {
        long hashHi;
        long hashLo;
        long rowKey;
        int bucket;
        int usageEpochDay;

        boolean sameId(Sighting other) {
            return hashHi == other.hashHi && hashLo == other.hashLo;
        }

        void copyFrom(Sighting other) {
            hashHi = other.hashHi;
            hashLo = other.hashLo;
            rowKey = other.rowKey;
            bucket = other.bucket;
            usageEpochDay = other.usageEpochDay;
        }

        int compareTo(Sighting other) {
            int byHash = EventIdHash.compare(hashHi, hashLo, other.hashHi, other.hashLo);
            return byHash != 0 ? byHash : Long.compare(rowKey, other.rowKey);
        }
    }

    private interface Run extends AutoCloseable {
        /** Loads the next sighting into {@code into}; false at the end. */
        boolean next(Sighting into);

        @Override
        void close();
    }

    private static final class MemoryRun implements Run {
        private final Sightings s;
        private int i;

        MemoryRun(Sightings s) {
            this.s = s;
        }

        @Override
        public boolean next(Sighting into) {
            if (i == s.size) {
                return false;
            }
            into.hashHi = s.hashHi[i];
            into.hashLo = s.hashLo[i];
            into.rowKey = s.rowKey[i];
            into.bucket = s.bucket[i];
            into.usageEpochDay = s.usageEpochDay[i];
            i++;
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static final class FileRun implements Run {
        private final Path file;
        private final FileChannel in;
        private final ByteBuffer buffer = ByteBuffer.allocate(RUN_BUFFER_BYTES).flip();

        FileRun(Path file) {
            this.file = file;
            try {
                in = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException("spilled sightings " + file + " cannot be read", e);
            }
        }

        @Override
        public boolean next(Sighting into) {
            if (!buffer.hasRemaining() && !refill()) {
                return false;
            }
            into.hashHi = buffer.getLong();
            into.hashLo = buffer.getLong();
            into.rowKey = buffer.getLong();
            into.bucket = buffer.getInt();
            into.usageEpochDay = buffer.getInt();
            return true;
        }

        /** Reads the next whole sightings into the (empty) buffer; false at the end of the run. */
        private boolean refill() {
            buffer.clear();
            try {
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // a read may return fewer bytes than asked for
                }
            } catch (IOException e) {
                throw new UncheckedIOException("spilled sightings " + file + " cannot be read", e);
            }
            buffer.flip();
            if (buffer.remaining() % BYTES_PER_SIGHTING != 0) {
                throw new IllegalStateException("spilled sightings " + file + " end within a sighting");
            }
            return buffer.hasRemaining();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * A k-way merge of sorted runs: a binary heap of run indexes ordered by each run's head, whose
     * top is replaced in place as its run advances (one sift down a sighting; a PriorityQueue's poll
     * and add sifted twice, through a comparator, and was most of the dedup thread's time).
     */
    static final class Merge implements AutoCloseable {
        private final List<Run> runs;
        private final Sighting[] heads;
        private final int[] heap;
        private int size;

        private Merge(List<Run> runs) {
            this.runs = runs;
            heads = new Sighting[runs.size()];
            heap = new int[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                heads[r] = new Sighting();
                if (runs.get(r).next(heads[r])) {
                    heap[size++] = r;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        /** Loads the next sighting in order into {@code into}; false when every run is exhausted. */
        boolean next(Sighting into) {
            if (size == 0) {
                return false;
            }
            int top = heap[0];
            into.copyFrom(heads[top]);
            if (!runs.get(top).next(heads[top])) {
                heap[0] = heap[--size];
            }
            siftDown(0);
            return true;
        }

        private void siftDown(int i) {
            int run = heap[i];
            Sighting head = heads[run];
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heads[heap[child + 1]].compareTo(heads[heap[child]]) < 0) {
                    child++;
                }
                if (heads[heap[child]].compareTo(head) >= 0) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = run;
        }

        @Override
        public void close() {
            runs.forEach(Run::close);
        }
    }
}
