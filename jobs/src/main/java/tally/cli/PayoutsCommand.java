package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.payouts.PayoutReconciliation;
import tally.payouts.PayoutSchedule;
import tally.payouts.Payouts;

import java.time.LocalDate;
import java.util.Map;

@Command(name = "payouts", mixinStandardHelpOptions = true, subcommands = PayoutsCommand.Reconcile.class,
        description = "Creator payouts through Stripe Connect: creators on the schedule whose earnings effective before D "
                + "come to at least 1000 cents and who have a connected account get a Stripe Transfer; the rest carries to "
                + "the next run. Weekly runs on Mondays, monthly on the 1st. Running it again sends nothing twice and "
                + "resumes payouts Stripe did not answer. Needs STRIPE_API_KEY (without it nothing is sent).")
class PayoutsCommand extends DbCommand {

    @Option(names = "--schedule", paramLabel = "weekly|monthly", description = "Which schedule to run.")
    String schedule;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The run date: a Monday (weekly) or a 1st (monthly).")
    LocalDate date;

    @Option(names = "--dry-run", description = "Print who would be paid how much; post and send nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Run on a date that is not the schedule's run day.")
    boolean force;

    @Override
    int execute(ConfigurableApplicationContext context) {
        if (schedule == null || date == null) {
            throw new BadInputException("payouts needs --schedule weekly|monthly and --date YYYY-MM-DD");
        }
        PayoutSchedule payoutSchedule = PayoutSchedule.of(schedule);
        payoutSchedule.requireRunDay(date, force);
        Map<String, Object> summary = context.getBean(Payouts.class).run(payoutSchedule, date, dryRun);
        printJson(summary);
        if ("INCOMPLETE".equals(summary.get("status"))) {
            spec.commandLine().getErr().println("tally: some payouts got no answer from Stripe and are still pending; "
                    + "run the same command again to resume them (same idempotency keys)");
            return TallyCommand.FAILURE;
        }
        return Boolean.FALSE.equals(summary.get("controls_ok")) ? TallyCommand.FAILURE : TallyCommand.OK;
    }

    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = "List the payouts of date D whose Stripe state (transfer, amount, destination, reversals) "
                    + "disagrees with the ledger.")
    static class Reconcile extends DbCommand {

        @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The payout run date.")
        LocalDate date;

        @Override
        int execute(ConfigurableApplicationContext context) {
            printJson(context.getBean(PayoutReconciliation.class).reconcile(date));
            return TallyCommand.OK;
        }
    }
}
