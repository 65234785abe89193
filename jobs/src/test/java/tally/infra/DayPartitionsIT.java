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

/** A day loaded into its own table is attached with the parent's indexes built once, its primary key included. */
class DayPartitionsIT {

    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @TempDir
    Path home;

    @Test
    void aDetachedDayIsAttachedWithExactlyTheParentsIndexesOnce() {
        Cli cli = new Cli(home);
        cli.importSample();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(cli.dbUrl()));
        DayPartitions days = DayPartitions.usageEvents(jdbc);
        days.createDetached(DAY);
        jdbc.update("""
                insert into usage_event_20260302 (event_id, arrival_date, source_file, source_row, occurred_at, usage_date, kind,
                    account_id, tokens_input, tokens_output, status, quantity, cost_ucents, charge_ucents, capped, rules_version)
                values ('evt_1', '2026-03-02', 'f', 1, '2026-03-02T10:00:00Z', '2026-03-02', 'api_request', 'acct_acme',
                    0, 0, 'success', 1, 0, 0, false, 'v1')""");
        assertThat(days.isAttached(DAY)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from usage_event where arrival_date = ?", Long.class, DAY)).isZero();

        days.attach(DAY);
        days.attach(DAY);

        assertThat(days.isAttached(DAY)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from usage_event where arrival_date = ?", Long.class, DAY)).isEqualTo(1);
        assertThat(jdbc.queryForList("select indexrelid::regclass::text from pg_index where indrelid = 'usage_event_20260302'::regclass order by 1",
                String.class)).containsExactly("usage_event_20260302_account_day", "usage_event_20260302_payer_day",
                "usage_event_20260302_pkey", "usage_event_20260302_resource_day", "usage_event_20260302_usage_date");
        assertThatThrownBy(() -> jdbc.update("insert into usage_event select * from usage_event where event_id = 'evt_1'"))
                .hasMessageContaining("usage_event_20260302_pkey");

        days.drop(DAY);
        assertThat(days.isAttached(DAY)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from usage_event", Long.class)).isZero();
    }
}
