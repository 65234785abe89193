package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.invoicing.InvoicePage;
import tally.invoicing.InvoiceViews;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Map;

@Command(name = "invoice", mixinStandardHelpOptions = true,
        description = "An issued invoice: JSON (CONTRACT.md) or an HTML page for the customer.")
class InvoiceCommand extends DbCommand {

    @Option(names = "--account", required = true, paramLabel = "A")
    String account;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM")
    YearMonth month;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|html", description = "(default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to this file instead of stdout.")
    Path out;

    @Override
    int execute(ConfigurableApplicationContext context) {
        if (!format.equals("json") && !format.equals("html")) {
            throw new BadInputException("--format " + format + " is not json or html");
        }
        Map<String, Object> invoice = context.getBean(InvoiceViews.class).invoice(account, month);
        String text = format.equals("html") ? InvoicePage.render(invoice) : Json.pretty(invoice);
        if (out == null) {
            spec.commandLine().getOut().println(text);
            spec.commandLine().getOut().flush();
            return TallyCommand.OK;
        }
        try {
            Files.writeString(out, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        printJson(Map.of("invoice_id", invoice.get("invoice_id"), "out", out.toString(), "format", format));
        return TallyCommand.OK;
    }
}
