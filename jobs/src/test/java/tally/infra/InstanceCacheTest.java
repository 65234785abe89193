package tally.infra;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceCacheTest {

    @Test
    void givesWhatTheMapHoldsForEqualKeysOfAnyInstanceAndForUnknownOnes() {
        Map<String, Integer> map = new HashMap<>();
        IntStream.range(0, 1000).forEach(i -> map.put("acct_" + i, i));
        InstanceCache<Integer> cache = new InstanceCache<>(map);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1200; i++) {
                String fresh = new String("acct_" + i); // a new instance every time: never the cached one
                String interned = ("acct_" + i).intern(); // the same instance every round
                Integer expected = i < 1000 ? i : null;
                assertThat(cache.get(fresh)).isEqualTo(expected);
                assertThat(cache.get(interned)).isEqualTo(expected);
            }
        }
        assertThat(cache.get(null)).isNull();
    }

    @Test
    void anEmptyMapGivesNothing() {
        assertThat(new InstanceCache<>(Map.<String, Integer>of()).get("x")).isNull();
    }
}
