package tally.rerun;

import tally.money.CarriedRounding;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a finance rerun must post for one (wallet, resource, month) so that the ledger again equals
 * the carried-rounding result of the re-rated exact charges (RULES.md: post only the differences).
 * Pure.
 *
 * <p>The key's groups (usage day, run date) come in posting order (run date, then usage day) with
 * their exact charge as re-rated and the cents already posted for them (debits, earlier corrections
 * and refunds). Groups inside the rerun period get {@code carried cents - posted cents}; the last
 * period group also absorbs the carry shift of later groups outside the period, so the key's total
 * is exactly {@code round_half_even(total exact)} and nothing outside the period is touched. With
 * unchanged rules every difference is zero.
 */
public final class Corrections {

    /** One (usage day, run date) group of a key. */
    public record Group(LocalDate usageDate, LocalDate runDate, long exactUcents, long postedCents, boolean inPeriod) {
    }

    /** A correction to post for one group: positive is a further debit, negative a refund. */
    public record Correction(LocalDate usageDate, LocalDate runDate, long amountCents) {
    }

    private Corrections() {
    }

    public static List<Correction> forKey(List<Group> groupsInPostingOrder) {
        CarriedRounding carry = new CarriedRounding(0, 0);
        long postedTotal = 0;
        List<Correction> corrections = new ArrayList<>();
        for (Group group : groupsInPostingOrder) {
            long carriedCents = carry.next(group.exactUcents());
            postedTotal += group.postedCents();
            if (group.inPeriod()) {
                corrections.add(new Correction(group.usageDate(), group.runDate(), carriedCents - group.postedCents()));
            }
        }
        if (corrections.isEmpty()) {
            return List.of();
        }
        long keyDifference = carry.postedCents() - postedTotal; // round(total exact) - total posted
        long periodSum = corrections.stream().mapToLong(Correction::amountCents).sum();
        Correction last = corrections.get(corrections.size() - 1);
        corrections.set(corrections.size() - 1,
                new Correction(last.usageDate(), last.runDate(), last.amountCents() + keyDifference - periodSum));
        return corrections.stream().filter(c -> c.amountCents() != 0).toList();
    }
}
