package tally.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tally.testing.Cli;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A day in flight lives in its own partition: created empty with the parent's key, dropped as a whole. */
class DayPartitionsIT {

    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @Test
    void aDayIsItsOwnTableWithTheParentsKeyAndGoesAsAWhole(@TempDir Path home) {
        Cli cli = new Cli(home);
        cli.importSample();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(cli.dbUrl()));
        DayPartitions drops = DayPartitions.stagedDrops(jdbc);
        drops.create(DAY);
        jdbc.update("insert into staged_drop (arrival_date, bucket, row_key) values ('2026-03-02', 0, 7)");
        assertThat(jdbc.queryForObject("select count(*) from staged_drop_20260302", Long.class)).isEqualTo(1);
        assertThatThrownBy(() -> jdbc.update("insert into staged_drop (arrival_date, bucket, row_key) values ('2026-03-02', 0, 7)"))
                .hasMessageContaining("staged_drop_20260302_pkey");
        assertThatThrownBy(() -> jdbc.update("insert into staged_drop (arrival_date, bucket, row_key) values ('2026-03-03', 0, 7)"))
                .as("no table for another day").hasMessageContaining("no partition");

        drops.create(DAY);
        assertThat(jdbc.queryForObject("select count(*) from staged_drop", Long.class)).as("created anew: empty").isZero();
        drops.drop(DAY);
        drops.drop(DAY);
        assertThat(jdbc.queryForObject("select count(*) from pg_class where relname = 'staged_drop_20260302'", Long.class)).isZero();
    }
}
