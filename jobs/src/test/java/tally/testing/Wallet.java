package tally.testing;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A wallet's history as a user reads it from {@code wallet transactions}. */
public final class Wallet {

    private Wallet() {
    }

    /** Every debit of the account, newest effective date first, as "effective_date description amount_cents". */
    public static List<String> debits(Cli cli, String account) {
        List<String> debits = new ArrayList<>();
        for (JsonNode t : cli.ok("wallet", "transactions", "--account", account, "--limit", "200").get("transactions")) {
            if (t.get("type").asString().equals("debit")) {
                debits.add(t.get("effective_date").asString() + " " + t.get("description").asString() + " "
                        + t.get("amount_cents").asLong());
            }
        }
        return debits;
    }

    public static long balanceCents(Cli cli, String account) {
        return cli.ok("wallet", "balance", "--account", account).get("balance_cents").asLong();
    }
}
