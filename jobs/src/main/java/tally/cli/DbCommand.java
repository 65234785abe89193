package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** A command that works on the database: opens the Spring application, runs, prints JSON to stdout. */
abstract class DbCommand implements Callable<Integer> {

    @Mixin
    DbOptions db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = Spring.open(db, properties())) {
            return execute(context);
        }
    }

    /** Spring properties this command adds to the database options. */
    Map<String, Object> properties() {
        return Map.of();
    }

    abstract int execute(ConfigurableApplicationContext context);

    void printJson(Object value) {
        spec.commandLine().getOut().println(Json.pretty(value));
        spec.commandLine().getOut().flush();
    }
}
