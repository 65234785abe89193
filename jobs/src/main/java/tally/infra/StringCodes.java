package tally.infra;

import java.util.Arrays;

/**
 * Small integer codes for the distinct strings of a column, in order of first appearance: what a
 * per-batch or per-segment dictionary needs. Open addressing over (hash, code) slots with the values
 * beside them: a {@code HashMap<String, Integer>} took a node and a boxed code per lookup, and such
 * lookups were a quarter of staging's CPU (the staged batches' nine dictionary columns, JFR at 100M
 * events) and the largest part of writing a rated segment's string columns. Values read from a
 * Parquet dictionary are the same String instance row after row, so the last value is tried first
 * and a slot's value by identity before equality. Not thread-safe.
 */
public final class StringCodes {

    private static final int INITIAL_SLOTS = 64;

    private String[] values = new String[INITIAL_SLOTS];
    /** Per slot: the value's hash in the high 32 bits, its code in the low 32 bits. */
    private long[] slots = new long[INITIAL_SLOTS];
    private int size;
    private String last;
    private int lastCode;

    /** The value's code if it has one; otherwise -1, and the value takes the next code. */
    public int codeOrAdd(String value) {
        int code = codeOf(value);
        if (code >= 0) {
            return code;
        }
        int hash = value.hashCode();
        int mask = values.length - 1;
        int i = spread(hash) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        values[i] = value;
        slots[i] = ((long) hash << 32) | size;
        last = value;
        lastCode = size++;
        if (size * 2 > values.length) {
            grow();
        }
        return -1;
    }

    /** The value's code, or -1 if it has none. */
    public int codeOf(String value) {
        if (value == last) {
            return lastCode;
        }
        int hash = value.hashCode();
        int mask = values.length - 1;
        for (int i = spread(hash) & mask; values[i] != null; i = (i + 1) & mask) {
            String v = values[i];
            if ((int) (slots[i] >>> 32) == hash && (v == value || v.equals(value))) {
                last = value;
                lastCode = (int) slots[i];
                return lastCode;
            }
        }
        return -1;
    }

    /** Values that have a code. */
    public int size() {
        return size;
    }

    /** Forgets every value: the next one takes code 0. */
    public void clear() {
        if (size > 0) {
            Arrays.fill(values, null);
            size = 0;
        }
        last = null;
    }

    private void grow() {
        String[] oldValues = values;
        long[] oldSlots = slots;
        values = new String[oldValues.length * 2];
        slots = new long[oldValues.length * 2];
        int mask = values.length - 1;
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = spread((int) (oldSlots[j] >>> 32)) & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                values[i] = oldValues[j];
                slots[i] = oldSlots[j];
            }
        }
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
