package tally.testing;

import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The ledger as a user checks it: the {@code ledger verify} hash of its whole content, the balance of
 * every ledger account (wallets as {@code wallet balance} sums them, uncollected receivables, creator
 * payables, revenue), and every account's number of transactions. Two equal states mean nothing was posted
 * in between. (Balances and counts come from one SQL query each: a command per account costs a
 * second of Spring start-up.)
 */
public record LedgerState(String hash, Map<String, Long> balancesCents, Map<String, Long> transactionCounts) {

    public static LedgerState of(Cli cli) {
        JsonNode verify = cli.ok("ledger", "verify");
        if (!verify.get("ok").asBoolean()) {
            throw new AssertionError("ledger invariants do not hold: " + verify);
        }
        return new LedgerState(verify.get("hash").asString(),
                Sql.numbersByKey(cli, "select ledger_account, sum(amount_cents) from ledger_entry group by 1"),
                Sql.numbersByKey(cli, "select account_id, count(*) from ledger_txn group by 1"));
    }
}
