package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.reference.ReferenceImporter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "import", description = "Load input data.", mixinStandardHelpOptions = true,
        subcommands = ImportCommand.Reference.class)
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
}
