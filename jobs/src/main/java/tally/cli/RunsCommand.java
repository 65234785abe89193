package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.scheduling.RunHistory;
import tally.scheduling.RunHistory.Run;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Run history from the JobRepository, newest first: one row per execution (a failed date and its retry "
                + "are two rows) with its date, status, event counts, duration and whether the control totals held.")
class RunsCommand extends DbCommand {

    @Option(names = "--job", paramLabel = "J", description = "Only this job (e.g. nightly).")
    String job;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N rows, 1.." + RunHistory.MAX_LIMIT
            + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Override
    int execute(ConfigurableApplicationContext context) {
        if (limit < 1 || limit > RunHistory.MAX_LIMIT) {
            throw new BadInputException("--limit " + limit + " must be from 1 to " + RunHistory.MAX_LIMIT);
        }
        List<Run> runs = context.getBean(RunHistory.class).runs(Optional.ofNullable(job), limit);
        if (json) {
            printJson(Map.of("runs", runs.stream().map(RunsCommand::toJson).toList()));
            return 0;
        }
        List<List<String>> rows = runs.stream().map(r -> List.of(r.job(), String.valueOf(r.key()), r.status(),
                count(r, "read"), count(r, "rated"), count(r, "duplicates"), count(r, "rejected"),
                r.duration().map(RunsCommand::seconds).orElse("-"),
                r.controlsOk().map(ok -> ok ? "ok" : "FAILED").orElse("-"),
                r.startedAt() == null ? "-" : r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString())).toList();
        spec.commandLine().getOut().print(Table.render(List.of("JOB", "DATE", "STATUS", "READ", "RATED", "DUPLICATES",
                "REJECTED", "DURATION", "CONTROLS", "STARTED"), rows));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Map<String, Object> toJson(Run run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("execution_id", run.executionId());
        out.put("job", run.job());
        out.put("date", run.key());
        out.put("status", run.status());
        out.put("started_at", run.startedAt() == null ? null : run.startedAt().toString());
        out.put("ended_at", run.endedAt() == null ? null : run.endedAt().toString());
        out.put("duration_ms", run.duration().map(Duration::toMillis).orElse(null));
        out.put("counts", run.counts().orElse(null));
        out.put("controls_ok", run.controlsOk().orElse(null));
        out.put("error", run.status().equals("COMPLETED") || run.exitMessage() == null || run.exitMessage().isBlank() ? null
                : run.exitMessage().lines().findFirst().orElse(null));
        return out;
    }

    private static String count(Run run, String key) {
        return run.counts().map(c -> c.get(key)).map(String::valueOf).orElse("-");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
