package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.TallyConfig.TallySettings;
import tally.nightly.NightlyJobConfig;
import tally.report.RunReport;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Self-contained HTML report of the nightly run of date D (charts, figures, control totals); "
                + "viewable offline. Prints where it was written.")
class ReportCommand extends DbCommand {

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Business date of the nightly run.")
    LocalDate date;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write it (default: <home>/runs/nightly/<date>/report.html, where the nightly run writes it).")
    Path out;

    @Override
    int execute(ConfigurableApplicationContext context) {
        Path file = out != null ? out : context.getBean(TallySettings.class)
                .runDir(NightlyJobConfig.JOB_NAME, date.toString()).resolve(RunReport.FILE_NAME);
        context.getBean(RunReport.class).write(date, file);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", date.toString());
        result.put("report", file.toAbsolutePath().toString());
        printJson(result);
        return 0;
    }
}
