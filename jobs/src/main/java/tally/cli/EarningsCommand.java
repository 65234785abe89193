package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.wallet.WalletViews;

@Command(name = "earnings", mixinStandardHelpOptions = true,
        description = "A creator's developer balance (JSON as the wallet doc's earnings response).")
class EarningsCommand extends DbCommand {
    @Option(names = "--account", required = true, paramLabel = "A")
    String account;

    @Override
    int execute(ConfigurableApplicationContext context) {
        printJson(context.getBean(WalletViews.class).earnings(account));
        return 0;
    }
}
