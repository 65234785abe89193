package tally.cli;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tally.infra.TallyConfig;

import java.util.HashMap;
import java.util.Map;

/** Starts the Spring application (database, migrations, JobRepository, jobs) for one command. */
final class Spring {

    private Spring() {
    }

    /** {@code extra}: properties of the command itself (e.g. {@code tally.input} for the scheduler). */
    static ConfigurableApplicationContext open(DbOptions db, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("tally.db.url", db.effectiveDbUrl());
        properties.put("tally.home", db.home);
        properties.put("tally.rules", db.rules);
        return new SpringApplicationBuilder(TallyConfig.class)
                .properties(properties)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .run();
    }
}
