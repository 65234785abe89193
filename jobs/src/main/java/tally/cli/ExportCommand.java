package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tally.export.ExportFormat;
import tally.export.ExportKind;
import tally.export.Exporter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Files for finance and analysts, by business day: analytics (rollups by usage day; --out is a directory "
                + "receiving bot_daily, agent_daily and tool_daily), ledger (every leg of the transactions effective in the "
                + "range; they sum to zero) or rated (rated events by usage day). Parquet with the Avro schemas of schemas/, "
                + "or CSV with a header.")
class ExportCommand extends DbCommand {

    @Parameters(index = "0", paramLabel = "WHAT", description = "analytics, ledger, rated or invoices.")
    ExportKind kind;

    @Mixin
    AnalyticsCommand.Range range;

    @Option(names = "--format", required = true, paramLabel = "parquet|csv")
    ExportFormat format;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "File to write (a directory for analytics).")
    Path out;

    @Override
    int execute(ConfigurableApplicationContext context) {
        List<Exporter.ExportedFile> files = context.getBean(Exporter.class).export(kind, range.range(), format, out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("export", kind.name());
        summary.put("from", range.from.toString());
        summary.put("to", range.to.toString());
        summary.put("format", format.name());
        summary.put("files", files.stream().map(f -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("dataset", f.dataset());
            file.put("path", f.path().toAbsolutePath().toString());
            file.put("rows", f.rows());
            return file;
        }).toList());
        printJson(summary);
        return 0;
    }
}
