package tally.infra;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tally.testing.TestDatabase;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What PgCopy writes is what PostgreSQL stores, for the values its text format must escape. */
class PgCopyIT {

    @Test
    void textValuesNullsAndTypedValuesArriveUnchanged() {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(TestDatabase.freshDatabaseUrl(), true);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table copied (n int, t text, at timestamptz, day date, flag boolean, big bigint)");
        List<String> texts = List.of("plain", "", "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash",
                "\\N", "\\.", "quote \" and , comma", "naïve 名前 🚀");
        try (PgCopy copy = new PgCopy(dataSource, "copied", List.of("n", "t", "at", "day", "flag", "big"))) {
            for (int i = 0; i < texts.size(); i++) {
                copy.row(i, texts.get(i), Instant.parse("2026-03-02T10:15:30.123456Z"), LocalDate.of(2026, 3, 2),
                        i % 2 == 0, Long.MAX_VALUE - i);
            }
            copy.row(texts.size(), null, null, null, null, null);
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select n, t, at = '2026-03-02T10:15:30.123456Z' as at_ok, day = '2026-03-02' as day_ok, flag, big from copied order by n");
        assertThat(rows).hasSize(texts.size() + 1);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(rows.get(i)).containsEntry("t", texts.get(i)).containsEntry("at_ok", true)
                    .containsEntry("day_ok", true).containsEntry("flag", i % 2 == 0).containsEntry("big", Long.MAX_VALUE - i);
        }
        assertThat(rows.get(texts.size())).containsEntry("t", null).containsEntry("at_ok", null).containsEntry("flag", null)
                .containsEntry("big", null);
        dataSource.destroy();
    }
}
