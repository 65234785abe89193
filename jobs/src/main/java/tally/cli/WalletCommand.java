package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.wallet.WalletViews;

@Command(name = "wallet", description = "Wallet views (JSON as the wallet doc).", mixinStandardHelpOptions = true,
        subcommands = {WalletCommand.Balance.class, WalletCommand.Transactions.class})
class WalletCommand {

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = "Balance, auto-reload settings, lifetime totals, uncollected and level of one wallet.")
    static class Balance extends DbCommand {
        @Option(names = "--account", required = true, paramLabel = "A")
        String account;

        @Override
        int execute(ConfigurableApplicationContext context) {
            printJson(context.getBean(WalletViews.class).balance(account));
            return 0;
        }
    }

    @Command(name = "transactions", mixinStandardHelpOptions = true,
            description = "Transaction history, newest effective date first.")
    static class Transactions extends DbCommand {
        @Option(names = "--account", required = true, paramLabel = "A")
        String account;

        @Option(names = "--limit", defaultValue = "50", description = "1..200 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "(default: ${DEFAULT-VALUE}).")
        int offset;

        @Override
        int execute(ConfigurableApplicationContext context) {
            printJson(context.getBean(WalletViews.class).transactions(account, limit, offset));
            return 0;
        }
    }
}
