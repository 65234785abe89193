package tally.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded server a new home gets: text sorts as bytes, the order Tally sorts ids by in Java. */
class DatabaseServerIT {

    @Test
    void aNewHomesDatabaseSortsTextInCodePointOrderWhateverTheMachinesLocale(@TempDir Path home) throws Exception {
        try (DatabaseServer db = DatabaseServer.embedded(home)) {
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl()));
            assertThat(jdbc.queryForObject("select datcollate from pg_database where datname = current_database()",
                    String.class)).isEqualTo("C");
            List<String> ids = List.of("acct_b", "Acct_B", "acct-b", "acct_a", "acct_\u00e9", "acct_\uD83D\uDE00", "acct_\uFFFD");
            List<String> sorted = jdbc.queryForList(
                    "select id from unnest(?::text[]) as id order by id", String.class, (Object) ids.toArray(String[]::new));
            assertThat(sorted).isEqualTo(ids.stream().sorted(CodePointOrder.ORDER).toList())
                    .startsWith("Acct_B", "acct-b", "acct_a", "acct_b");
        }
    }
}
