package tally.usage;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;

/**
 * The 128-bit hash by which event ids are deduplicated: MurmurHash3 x64 (seed 0) of the id's UTF-8
 * bytes, as two longs compared unsigned, {@code hi} first. Two distinct ids share a hash with
 * probability ~n^2 / 2^129 for n ids: below 1e-19 for ten billion (docs/rulings.md "Event id
 * hashes").
 */
public record EventIdHash(long hi, long lo) implements Comparable<EventIdHash> {

    public static EventIdHash of(String eventId) {
        byte[] bytes = eventId.getBytes(StandardCharsets.UTF_8);
        long[] hash = MurmurHash3.hash128x64(bytes, 0, bytes.length, 0);
        return new EventIdHash(hash[0], hash[1]);
    }

    /** Unsigned order of (hi, lo) pairs. */
    public static int compare(long hi, long lo, long otherHi, long otherLo) {
        int byHi = Long.compareUnsigned(hi, otherHi);
        return byHi != 0 ? byHi : Long.compareUnsigned(lo, otherLo);
    }

    @Override
    public int compareTo(EventIdHash other) {
        return compare(hi, lo, other.hi, other.lo);
    }
}
