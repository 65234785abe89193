package tally.scheduling;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tally.infra.TallyConfig;
import tally.testing.Cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** The Spring application of one scheduler node in the test JVM, on a {@link Cli}'s database, with a test clock. */
final class TestNode implements AutoCloseable {

    final ConfigurableApplicationContext context;

    TestNode(Cli cli, Path input, Clock clock) {
        context = new SpringApplicationBuilder(TallyConfig.class)
                .properties(Map.of("tally.db.url", cli.dbUrl(), "tally.home", cli.home().toString(),
                        "tally.rules", Cli.RULES.toString(), "tally.input", input.toString(),
                        "tally.scheduler.checkin-ms", "1000"))
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .run();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    /** A clock the test sets; every node of a test shares one. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(String now) {
            set(now);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("Tally's clock is UTC");
        }
    }
}
