package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.invoicing.InvoiceViews;

import java.time.YearMonth;

@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "An account's usage of a month against its plan (JSON as the plans doc's usage response, plus each "
                + "counter's status: ok, grace, blocked or overage).")
class UsageCommand extends DbCommand {

    @Option(names = "--account", required = true, paramLabel = "A")
    String account;

    @Option(names = "--period", required = true, paramLabel = "YYYY-MM")
    YearMonth period;

    @Override
    int execute(ConfigurableApplicationContext context) {
        printJson(context.getBean(InvoiceViews.class).usage(account, period));
        return TallyCommand.OK;
    }
}
