package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.reference.ReferenceImporter;
import tally.stripe.StripeEventImport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "import", description = "Load input data.", mixinStandardHelpOptions = true,
        subcommands = {ImportCommand.Reference.class, ImportCommand.StripeEvents.class})
class ImportCommand {

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Load reference CSVs (accounts, wallets, bots, agent_endpoints, tools, creators, packages, deposits) "
                    + "from a folder; an upsert, so running it twice changes nothing. Absent files are skipped.")
    static class Reference extends DbCommand {

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder of reference CSV files.")
        Path dir;

        @Override
        int execute(ConfigurableApplicationContext context) {
            ReferenceImporter.ImportResult result = context.getBean(ReferenceImporter.class).importDir(dir);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dir", dir.toString());
            out.put("rows", result.rowsByFile());
            out.put("ledger_postings_made", result.ledgerPostings());
            printJson(out);
            return 0;
        }
    }

    @Command(name = "stripe-events", mixinStandardHelpOptions = true,
            description = "Apply Stripe events (JSON, one per line): transfer.reversed and payout.failed return a payout's "
                    + "money to the developer balance, checkout.session.completed (metadata.account_id) credits a deposit; "
                    + "each exactly once however often or in whatever order events arrive. Exit 2 if an event is rejected.")
    static class StripeEvents extends DbCommand {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "Stripe events, one JSON object a line.")
        Path file;

        @Override
        int execute(ConfigurableApplicationContext context) {
            List<StripeEventImport.Result> results = context.getBean(StripeEventImport.class).importFile(file);
            printJson(StripeEventImport.report(file, results));
            List<String> rejected = results.stream().filter(r -> r.outcome() == StripeEventImport.Outcome.REJECTED)
                    .map(r -> file + " line " + r.line() + ": " + r.detail()).toList();
            if (rejected.isEmpty()) {
                return TallyCommand.OK;
            }
            spec.commandLine().getErr().println("tally: rejected events (the others were applied): " + String.join("; ", rejected));
            return TallyCommand.BAD_INPUT;
        }
    }
}
