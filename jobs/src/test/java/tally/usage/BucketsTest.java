package tally.usage;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BucketsTest {

    @Test
    void aDayGetsBucketsForItsRowsAndItsAccounts() {
        assertThat(Buckets.forDay(1_200, 6, 100_000, 100).count()).isEqualTo(1);
        assertThat(Buckets.forDay(10_000_000, 10_000, 100_000, 100).count()).isEqualTo(100);
        assertThat(Buckets.forDay(1_000_000, 10_000, 100_000, 100).count()).as("by accounts").isEqualTo(100);
        assertThat(Buckets.forDay(100_000_000, 10_000, 100_000, 100).count()).as("by rows").isEqualTo(1000);
        assertThat(Buckets.forDay(Long.MAX_VALUE / 2, 1, 100_000, 100).count()).isEqualTo(Buckets.MAX_BUCKETS);
    }

    @Test
    void anAccountsBucketDependsOnItsIdAloneAndSpreadsAccounts() {
        Buckets buckets = new Buckets(16);
        assertThat(buckets.of("a17")).isEqualTo(new Buckets(16).of("a17")).isBetween(0, 15);
        long used = IntStream.range(0, 1000).map(i -> buckets.of("a" + i)).distinct().count();
        assertThat(used).isEqualTo(16);
    }

    @Test
    void everyBucketBelongsToExactlyOnePartition() {
        for (int partitions = 1; partitions <= 4; partitions++) {
            for (int bucket = 0; bucket < 20; bucket++) {
                int p = partitions;
                int b = bucket;
                assertThat(IntStream.range(0, partitions).filter(i -> Buckets.inPartition(b, i, p)).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPartitionTakesItsOwnBucketsFirstThenTheOthersFromTheEnd() {
        assertThat(Buckets.claimOrder(7, 0, 2)).containsExactly(0, 2, 4, 6, 5, 3, 1);
        assertThat(Buckets.claimOrder(7, 1, 2)).containsExactly(1, 3, 5, 6, 4, 2, 0);
        assertThat(Buckets.claimOrder(3, 0, 1)).containsExactly(0, 1, 2);
        for (int partitions = 1; partitions <= 4; partitions++) {
            for (int index = 0; index < partitions; index++) {
                assertThat(Buckets.claimOrder(20, index, partitions)).as("every bucket once")
                        .containsExactlyInAnyOrder(IntStream.range(0, 20).toArray());
            }
        }
    }
}
