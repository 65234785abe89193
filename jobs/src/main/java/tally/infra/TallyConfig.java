package tally.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The Spring application behind every command that touches the database: the data source (embedded
 * or external), Flyway migrations, the Spring Batch JobRepository in the same PostgreSQL, and the
 * jobs (component scan of {@code tally}).
 */
@SpringBootApplication(scanBasePackages = "tally")
public class TallyConfig {

    @Bean(destroyMethod = "close")
    public DatabaseServer databaseServer(@Value("${tally.db.url:}") String url, @Value("${tally.home:.tally}") String home) {
        return url == null || url.isBlank() ? DatabaseServer.embedded(Path.of(home)) : DatabaseServer.external(url);
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(DatabaseServer server) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        if (server.user() != null) {
            config.setUsername(server.user());
        }
        config.setMaximumPoolSize(6);
        config.setPoolName("tally");
        return new HikariDataSource(config);
    }

    /** The wall clock, UTC; only the scheduler reads it. Tests register their own clock before the context starts. */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public TallySettings settings(@Value("${tally.home:.tally}") String home,
                                  @Value("${tally.rules:rating-rules}") String rules) {
        return new TallySettings(Path.of(home), Path.of(rules));
    }

    /** Where outputs go and which rules apply. */
    public record TallySettings(Path home, Path rulesDir) {
        public Path runDir(String job, String businessDate) {
            return home.resolve("runs").resolve(job).resolve(businessDate);
        }
    }

}
