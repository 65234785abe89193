package tally.scheduling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.infra.BadInputException;
import tally.testing.Cli;
import tally.testing.Fixture;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleConfigTest {

    @TempDir
    Path tmp;

    Path file(String yaml) {
        Path file = tmp.resolve("schedules.yaml");
        Fixture.write(file, yaml);
        return file;
    }

    @Test
    void theRepositoryScheduleFileLoadsInOrder() {
        ScheduleConfig config = ScheduleConfig.load(Cli.REPO.resolve("config/schedules.yaml"));
        assertThat(config.schedules()).extracting(Schedule::name)
                .containsExactly("nightly", "close-month", "payouts-weekly", "payouts-monthly");
        assertThat(config.schedules().get(0)).satisfies(s -> {
            assertThat(s.cron()).isEqualTo("0 0 2 * * ?");
            assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(s.after()).isEmpty();
        });
        assertThat(config.schedules().get(2).after()).isEqualTo(Optional.of("nightly"));
        assertThat(config.maxRunsPerJob()).isEqualTo(7);
    }

    @Test
    void anInvalidCronIsRefusedNamingFileScheduleAndProblem() {
        Path file = file("""
                schedules:
                  nightly:
                    cron: "0 0 25 * * ?"
                    time_zone: UTC
                    business_date: previous_day
                """);
        assertThatThrownBy(() -> ScheduleConfig.load(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("schedule nightly")
                .hasMessageContaining("cron '0 0 25 * * ?' is invalid");
    }

    @Test
    void otherMistakesAreRefusedClearly() {
        assertThatThrownBy(() -> ScheduleConfig.load(file("""
                schedules:
                  nightly: {cron: "0 0 2 * * ?", time_zone: Mars/Olympus, business_date: previous_day}
                """))).hasMessageContaining("time_zone Mars/Olympus is not a time zone");
        assertThatThrownBy(() -> ScheduleConfig.load(file("""
                schedules:
                  nightly: {cron: "0 0 2 * * ?", time_zone: UTC, business_date: yesterday}
                """))).hasMessageContaining("business_date must be previous_day or fire_day");
        assertThatThrownBy(() -> ScheduleConfig.load(file("""
                schedules:
                  payouts-weekly: {cron: "0 0 5 ? * MON", time_zone: UTC, business_date: fire_day, after: nightly}
                """))).hasMessageContaining("after: nightly must name a schedule listed above it");
        assertThatThrownBy(() -> ScheduleConfig.load(file("""
                schedules:
                  nightly: {cron: "0 0 2 * * ?", timezone: UTC, business_date: previous_day}
                """))).hasMessageContaining("unknown key timezone");
        assertThatThrownBy(() -> ScheduleConfig.load(file("""
                catch_up: {max_runs_per_job: 0}
                schedules:
                  nightly: {cron: "0 0 2 * * ?", time_zone: UTC, business_date: previous_day}
                """))).hasMessageContaining("max_runs_per_job must be a whole number from 1 to 31");
    }
}
