package tally.reference;

import java.time.LocalDate;

/** accounts.csv: a customer on one plan catalog and tier. */
public record Account(String accountId, String catalog, String tier, String billingInterval, LocalDate periodStart,
                      boolean cancelAtPeriodEnd, boolean overageEnabled, boolean overageLogicEngine,
                      boolean overageApiCalls, boolean overageStorage) {
}
