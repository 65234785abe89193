package tally.infra;

import java.util.Map;

/**
 * A bounded cache in front of a map that does not change, keyed by the identity of the key String:
 * one slot per identity hash, the last key seen there and what the map gave for it (null too). The
 * ids rated come from dictionaries (a Parquet row group's, a staged batch's), so the same String
 * instance comes back row after row; a lookup by identity reads one slot of two small arrays, where
 * a HashMap lookup of a 10k- or 50k-entry map went through its table, a node and both strings'
 * bytes (reference lookups were ~20% of staging's CPU, JFR at 10M events). A key that is not the
 * cached instance, equal or not, goes to the map. Not thread-safe.
 */
public final class InstanceCache<V> {

    private static final int MAX_SLOTS = 1 << 16;

    private final Map<String, V> map;
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    /** Twice as many slots as the map has entries, up to 65,536. */
    public InstanceCache(Map<String, V> map) {
        this.map = map;
        int wanted = Math.max(16, Math.min(MAX_SLOTS, 2 * map.size()));
        int slots = Integer.highestOneBit(wanted - 1) << 1;
        keys = new String[slots];
        values = new Object[slots];
        mask = slots - 1;
    }

    /** What the map holds for {@code key}: the same as {@code map.get(key)}. */
    @SuppressWarnings("unchecked")
    public V get(String key) {
        int slot = System.identityHashCode(key) & mask;
        if (keys[slot] == key) {
            return (V) values[slot];
        }
        V value = map.get(key);
        keys[slot] = key;
        values[slot] = value;
        return value;
    }
}
