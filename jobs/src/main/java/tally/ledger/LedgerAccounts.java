package tally.ledger;

/**
 * Names of the ledger accounts every leg posts to. Positive amounts raise what the holder is owed.
 * A customer's prepaid wallet, what it could not pay, a creator's developer balance, and the
 * platform's side of each.
 */
public final class LedgerAccounts {

    public static final String REVENUE_USAGE = "revenue:usage";
    public static final String REVENUE_MARKETPLACE_FEE = "revenue:marketplace_fee";
    /** Tool-call money due to the marketplace: collected amounts pass through to the creator and fee. */
    public static final String CLEARING_MARKETPLACE = "clearing:marketplace";
    public static final String CLEARING_STRIPE = "clearing:stripe";
    public static final String EQUITY_OPENING_BALANCES = "equity:opening_balances";

    public static final String WALLET_PREFIX = "wallet:";
    public static final String RECEIVABLE_PREFIX = "receivable:";
    public static final String CREATOR_PREFIX = "payable:creator:";

    private LedgerAccounts() {
    }

    public static String wallet(String accountId) {
        return WALLET_PREFIX + accountId;
    }

    /** Usage charged but not collected because the wallet was empty (negative = owed to the platform). */
    public static String receivable(String accountId) {
        return RECEIVABLE_PREFIX + accountId;
    }

    /** A creator's developer balance: earnings credited less payouts. */
    public static String creatorPayable(String accountId) {
        return CREATOR_PREFIX + accountId;
    }
}
