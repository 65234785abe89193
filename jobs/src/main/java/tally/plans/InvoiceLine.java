package tally.plans;

import java.time.YearMonth;

/**
 * One invoice line. {@code lineId} is derived from its invoice and cause, so a line is written once.
 * Overage, late-adjustment and credit lines name their counter and the month of the usage.
 */
public record InvoiceLine(String lineId, LineType type, String description, long quantity, long amountCents,
                          Counter counter, YearMonth serviceMonth) {
}
