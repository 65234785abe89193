package tally.nightly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tally.infra.TallyConfig;
import tally.partition.AccountPartition;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.rules.RulesLoader;
import tally.testing.Cli;
import tally.testing.Sample;
import tally.usage.RowValidator;
import tally.usage.UsageStager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition done with its own buckets rates the others' that nobody has claimed, and passes over
 * a bucket claimed for another's transaction (RateAndPost, docs/rulings.md "Buckets and partitions").
 */
class BucketClaimsIT {

    @TempDir
    Path home;

    @Test
    void aLonePartitionRatesEveryUnclaimedBucketAndLeavesTheClaimedOneToItsClaimer() throws Exception {
        Cli cli = new Cli(home);
        cli.importSample();
        LocalDate day = LocalDate.parse(Sample.days().get(0));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TallyConfig.class)
                .properties(Map.of("tally.db.url", cli.dbUrl(), "tally.home", home.toString(), "tally.rules", Cli.RULES.toString()))
                .logStartupInfo(false).registerShutdownHook(false).run();
             Connection claimer = DriverManager.getConnection(cli.dbUrl())) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            RatingRules rules = RulesLoader.load(Cli.RULES);
            ReferenceData reference = ReferenceData.load(jdbc);
            app.getBean(UsageStager.class).stage(new UsageStager.Day(day, Sample.USAGE, RowValidator.DEFAULT_LATENESS,
                    NightlyParameters.DEFAULT_MAX_REJECT_RATE, rules, reference, home.resolve("scratch"), 2));
            RateAndPost rateAndPost = app.getBean(RateAndPost.class);
            int buckets = rateAndPost.bucketsOf(day);
            assertThat(buckets).as("the test's days spread over several buckets").isGreaterThan(2);

            // Another partition's transaction holds bucket 1 (partition 2 of 2's first), as while rating it.
            int claimed = 1;
            try (PreparedStatement claim = claimer.prepareStatement("select pg_advisory_lock(?, ?)")) {
                claim.setInt(1, (int) day.toEpochDay());
                claim.setInt(2, claimed);
                claim.execute();
            }
            RateAndPost.PartitionResult first = rateAndPost.run(day, "nightly:" + day, rules, reference,
                    new AccountPartition(0, 2));

            List<Integer> rated = jdbc.queryForList("select bucket from rated_bucket where arrival_date = ? order by 1",
                    Integer.class, java.sql.Date.valueOf(day));
            assertThat(rated).containsExactlyElementsOf(IntStream.range(0, buckets).filter(b -> b != claimed).boxed().toList());
            assertThat(first.buckets()).isEqualTo(buckets - 1);
            assertThat(first.helped()).as("partition 2's buckets but the claimed one").isEqualTo(buckets / 2 - 1);
            assertThat(first.ownElsewhere()).isZero();

            // Its claimer gone (its transaction rolled back), the partition's restart rates it, and only it.
            try (PreparedStatement release = claimer.prepareStatement("select pg_advisory_unlock(?, ?)")) {
                release.setInt(1, (int) day.toEpochDay());
                release.setInt(2, claimed);
                release.execute();
            }
            long txns = jdbc.queryForObject("select count(*) from ledger_txn", Long.class);
            RateAndPost.PartitionResult restart = rateAndPost.run(day, "nightly:" + day, rules, reference,
                    new AccountPartition(0, 2));
            assertThat(restart.buckets()).isEqualTo(1);
            assertThat(restart.helped()).isEqualTo(1);
            assertThat(restart.ownElsewhere()).as("its own, rated before").isEqualTo((buckets + 1) / 2);
            assertThat(jdbc.queryForObject("select count(*) from rated_bucket where arrival_date = ?", Integer.class,
                    java.sql.Date.valueOf(day))).isEqualTo(buckets);
            assertThat(jdbc.queryForObject("select count(*) from ledger_txn", Long.class))
                    .isEqualTo(txns + restart.txnsWritten());
        }
    }
}
