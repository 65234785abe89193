package tally.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tally.infra.BadInputException;

import java.io.PrintWriter;

/** {@code ./tally}: the command users run. JSON to stdout, logs and progress to stderr. */
@Command(name = "tally", mixinStandardHelpOptions = true, version = "tally 0.1.0",
        description = "Batch rating and invoicing for an AI-agent platform.",
        subcommands = {DemoCommand.class, ImportCommand.class, NightlyCommand.class, RerunCommand.class,
                CloseMonthCommand.class, PayoutsCommand.class, SchedulerCommand.class, WorkerCommand.class, RunsCommand.class,
                WalletCommand.class, EarningsCommand.class, UsageCommand.class, InvoiceCommand.class,
                AnalyticsCommand.class, ExportCommand.class, ReportCommand.class, LedgerCommand.class,
                GenerateCommand.class, CommandLine.HelpCommand.class})
public class TallyCommand {

    /** Exit codes of CONTRACT.md. */
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    /** Runs one command line; returns its exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TallyCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            BadInputException bad = badInput(e);
            if (bad != null) {
                err.println("tally: " + bad.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            err.println("tally: " + describe(e));
            err.flush();
            return FAILURE;
        });
        return cli.execute(args);
    }

    static BadInputException badInput(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadInputException bad) {
                return bad;
            }
        }
        return null;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? message : message + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
