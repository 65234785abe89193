package tally.usage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SightingsTest {

    @TempDir
    Path spill;

    record Seen(EventIdHash hash, long rowKey, int bucket, int usageDay) {
    }

    private static List<Seen> sightings(int n, int distinctIds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Seen> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EventIdHash hash = EventIdHash.of("evt-" + random.nextInt(distinctIds));
            all.add(new Seen(hash, Sightings.rowKey(random.nextInt(3), i), random.nextInt(7), 20_000 + random.nextInt(3)));
        }
        return all;
    }

    private static List<Seen> merged(List<Sightings> collectors) {
        List<Seen> out = new ArrayList<>();
        try (Sightings.Merge merge = Sightings.merge(collectors)) {
            Sightings.Sighting s = new Sightings.Sighting();
            while (merge.next(s)) {
                out.add(new Seen(new EventIdHash(s.hashHi, s.hashLo), s.rowKey, s.bucket, s.usageEpochDay));
            }
        }
        return out;
    }

    @Test
    void everySightingComesBackInHashThenRowOrderAcrossSpilledRunsAndCollectors() throws Exception {
        List<Seen> all = sightings(10_000, 3_000, 7);
        Sightings a = new Sightings(spill, 700); // forces several spilled runs
        Sightings b = new Sightings(spill, 100_000);
        for (int i = 0; i < all.size(); i++) {
            Seen s = all.get(i);
            (i % 2 == 0 ? a : b).add(s.hash(), s.rowKey(), s.bucket(), s.usageDay());
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.count()).as("runs spilled to disk").isGreaterThanOrEqualTo(7);
        }
        List<Seen> expected = new ArrayList<>(all);
        expected.sort(Comparator.comparing(Seen::hash).thenComparingLong(Seen::rowKey));
        assertThat(merged(List.of(a, b))).containsExactlyElementsOf(expected);
        a.close();
        b.close();
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.count()).as("spilled runs removed").isZero();
        }
    }

    @Test
    void spilledRunsLongerThanTheirReadBufferComeBackWhole() {
        // 5,000 sightings a run: 160,000 bytes, read in two whole buffers and a part of a third.
        List<Seen> all = sightings(12_345, 10_000, 11);
        Sightings a = new Sightings(spill, 5_000);
        all.forEach(s -> a.add(s.hash(), s.rowKey(), s.bucket(), s.usageDay()));
        List<Seen> expected = new ArrayList<>(all);
        expected.sort(Comparator.comparing(Seen::hash).thenComparingLong(Seen::rowKey));
        assertThat(merged(List.of(a))).containsExactlyElementsOf(expected);
        a.close();
    }

    @Test
    void theFirstOfEqualHashesIsTheEarliestRow() {
        Sightings s = new Sightings(spill, 16);
        EventIdHash id = EventIdHash.of("evt-repeated");
        s.add(id, Sightings.rowKey(1, 5), 3, 1);
        s.add(EventIdHash.of("evt-other"), Sightings.rowKey(0, 1), 0, 1);
        s.add(id, Sightings.rowKey(0, 9), 4, 1);
        s.add(id, Sightings.rowKey(0, 2), 2, 1);
        List<Seen> out = merged(List.of(s));
        List<Long> rowsOfRepeated = out.stream().filter(x -> x.hash().equals(id)).map(Seen::rowKey).toList();
        assertThat(rowsOfRepeated).containsExactly(Sightings.rowKey(0, 2), Sightings.rowKey(0, 9), Sightings.rowKey(1, 5));
    }

    @Test
    void hashesCompareUnsignedSoTheOrderIsTheSameAsTheStoredSets() {
        assertThat(EventIdHash.compare(-1L, 0, 1L, 0)).isPositive();
        assertThat(EventIdHash.compare(5, -1L, 5, 0)).isPositive();
        assertThat(EventIdHash.of("evt-1")).isEqualTo(EventIdHash.of("evt-1")).isNotEqualTo(EventIdHash.of("evt-2"));
    }
}
