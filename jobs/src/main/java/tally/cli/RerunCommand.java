package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.rerun.RerunService;

import java.time.LocalDate;

@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = "Finance rerun of a past period: re-rate every event whose usage day is in D1..D2 with the rules as "
                + "they now stand and post only the differences, as correction debits or refunds that refer to what they "
                + "correct. --dry-run prints the same corrections and posts nothing.")
class RerunCommand extends DbCommand {

    @Option(names = "--from", required = true, paramLabel = "D1", description = "First usage day (YYYY-MM-DD).")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "D2", description = "Last usage day, inclusive.")
    LocalDate to;

    @Option(names = "--dry-run", description = "Print the corrections; post nothing.")
    boolean dryRun;

    @Override
    int execute(ConfigurableApplicationContext context) {
        printJson(context.getBean(RerunService.class).run(from, to, dryRun));
        return 0;
    }
}
