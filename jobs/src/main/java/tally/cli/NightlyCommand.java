package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.nightly.NightlyParameters;
import tally.nightly.NightlyRun;
import tally.usage.RowValidator;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = "Rate day D's arrivals, post wallet debits and creator earnings, roll up analytics for the days touched. "
                + "A date that already completed is not run again (its stored summary is printed); a failed or killed run "
                + "resumes where it stopped.")
class NightlyCommand extends DbCommand {

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Arrival day to run.")
    LocalDate date;

    @Option(names = "--input", paramLabel = "DIR", defaultValue = "${env:TALLY_INPUT:-input}",
            description = "Usage logs root with date=YYYY-MM-DD partitions (default: $TALLY_INPUT, else ${DEFAULT-VALUE}).")
    Path input;

    @Option(names = "--max-reject-rate", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Fail the run (nothing posted) if more than this fraction of rows is rejected (default: ${DEFAULT-VALUE}).")
    BigDecimal maxRejectRate;

    @Option(names = "--allowed-lateness-days", paramLabel = "DAYS", defaultValue = "35",
            description = "Reject events that occurred more than this many days before their arrival day (default: ${DEFAULT-VALUE}).")
    int latenessDays;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
            description = "Rate and post in N partitions of the accounts, N at a time (default: ${DEFAULT-VALUE}, one per core "
                    + "of the reference machine). The ledger is the same for any N; a restarted run keeps its first N.")
    int partitions;

    @Option(names = "--remote", description = "Hand the partitions to `./tally worker` JVMs (on any machine reaching the same "
            + "PostgreSQL, --input and rules) and wait for them, instead of running them here. Needs --db.")
    boolean remote;

    @Override
    int execute(ConfigurableApplicationContext context) {
        printJson(context.getBean(NightlyRun.class).run(parameters()));
        return 0;
    }

    NightlyParameters parameters() {
        if (maxRejectRate.signum() < 0 || maxRejectRate.compareTo(BigDecimal.ONE) > 0) {
            throw new BadInputException("--max-reject-rate " + maxRejectRate + " must be a fraction from 0 to 1");
        }
        if (latenessDays < 0) {
            throw new BadInputException("--allowed-lateness-days " + latenessDays + " is negative");
        }
        if (partitions < 1 || partitions > 256) {
            throw new BadInputException("--partitions " + partitions + " must be from 1 to 256");
        }
        if (remote && db.effectiveDbUrl().isBlank()) {
            throw new BadInputException("--remote needs a PostgreSQL server the workers reach: give --db jdbc:postgresql://... "
                    + "or set TALLY_DB_URL (the embedded database under --home serves one process)");
        }
        Duration lateness = latenessDays == 35 ? RowValidator.DEFAULT_LATENESS : Duration.ofDays(latenessDays);
        return new NightlyParameters(date, input.toAbsolutePath().normalize(), maxRejectRate, lateness, partitions, remote);
    }
}
