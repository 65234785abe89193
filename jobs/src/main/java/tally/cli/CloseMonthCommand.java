package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.invoicing.CloseMonthRun;

import java.time.YearMonth;
import java.util.Map;

@Command(name = "close-month", mixinStandardHelpOptions = true,
        description = "Close a month: quotas, grace, overage, packages, plan fees and late adjustments; issue one "
                + "immutable invoice per account. A month that already closed is not run again (its invoices are reported).")
class CloseMonthCommand extends DbCommand {

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "Month to close (UTC).")
    YearMonth month;

    @Override
    int execute(ConfigurableApplicationContext context) {
        Map<String, Object> summary = context.getBean(CloseMonthRun.class).run(month);
        printJson(summary);
        return Boolean.TRUE.equals(summary.get("controls_ok")) ? TallyCommand.OK : TallyCommand.FAILURE;
    }
}
