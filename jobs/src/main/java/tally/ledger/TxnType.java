package tally.ledger;

/** The transaction types of the wallet doc. */
public enum TxnType {
    DEPOSIT, DEBIT, REFUND, EARNING, PAYOUT;

    public String code() {
        return name().toLowerCase();
    }
}
