package tally.ledger;

import tally.money.CarriedRounding;
import tally.money.Money;
import tally.usage.UsageKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one wallet's charged usage into ledger transactions (RULES.md, Wallet). Pure: the balance,
 * carried-rounding state and already-posted ids come in, transactions go out.
 *
 * <p>Nightly: groups are (resource, usage day) in the wallet's fixed order (usage day, then
 * resource id); each debit is the carried-rounding amount of its (wallet, resource, month); the
 * wallet pays what its balance holds and the rest is uncollected; a paid tool call credits its
 * creator the collected amount less the marketplace fee. Reruns: corrections of such groups, a
 * further debit when positive, a refund when negative (first cancelling what was uncollected).
 */
public final class UsageDebits {

    /** What was used: one resource on one usage day, and who it belongs to. */
    public record Usage(String resourceId, UsageKind kind, LocalDate usageDate, String resourceName,
                        String creatorAccountId, BigDecimal feeFraction) {
    }

    /** One (resource, usage day) of a wallet's charged usage in a nightly run. */
    public record Group(Usage usage, long exactUcents) {
        public CarryKey carryKey() {
            return new CarryKey(usage.resourceId(), YearMonth.from(usage.usageDate()));
        }
    }

    /** Carried-rounding key: one (resource, month) of the wallet. */
    public record CarryKey(String resourceId, YearMonth month) {
    }

    /**
     * A rerun's correction of one group posted by the run of {@code runDate}: {@code amountCents}
     * more (positive) or less (negative) than was posted; {@code uncollectedCents} is what the group
     * still has uncollected.
     */
    public record CorrectionGroup(Usage usage, LocalDate runDate, long amountCents, long uncollectedCents,
                                  String txnId, String refersTo) {
    }

    /** What planning gives back: transactions to write and the wallet's balance after them. */
    public record Plan(List<LedgerTxn> txns, long balanceAfterCents) {
    }

    private UsageDebits() {
    }

    /**
     * @param carries       per (resource, month): the state before this run; advanced in place
     * @param alreadyPosted charge_cents of this run's debits that a previous attempt already wrote
     */
    public static Plan plan(String payerAccountId, long balanceCents, List<Group> groups,
                            Map<CarryKey, CarriedRounding> carries, Map<String, Long> alreadyPosted,
                            LocalDate arrivalDate, String runId) {
        List<LedgerTxn> txns = new ArrayList<>();
        long balance = balanceCents;
        for (Group group : groups) {
            Usage usage = group.usage();
            CarriedRounding carry = carries.computeIfAbsent(group.carryKey(), k -> new CarriedRounding(0, 0));
            String debitId = PostingIds.debit(payerAccountId, usage.resourceId(), usage.usageDate(), arrivalDate);
            Long posted = alreadyPosted.get(debitId);
            if (posted != null) {
                carry.alreadyPosted(group.exactUcents(), posted);
                continue;
            }
            long chargeCents = carry.next(group.exactUcents());
            balance = charge(txns, payerAccountId, balance, usage, chargeCents, debitId, null, description(usage),
                    runId, arrivalDate);
        }
        return new Plan(txns, balance);
    }

    /** A rerun's corrections for one wallet, in (usage day, resource) order. */
    public static Plan planCorrections(String payerAccountId, long balanceCents, List<CorrectionGroup> corrections,
                                       String runId, String rulesVersion) {
        List<LedgerTxn> txns = new ArrayList<>();
        long balance = balanceCents;
        for (CorrectionGroup c : corrections) {
            String description = "Correction (rules " + rulesVersion + "): " + description(c.usage());
            if (c.amountCents() > 0) {
                balance = charge(txns, payerAccountId, balance, c.usage(), c.amountCents(), c.txnId(), c.refersTo(),
                        description, runId, c.runDate());
            } else {
                balance = refund(txns, payerAccountId, balance, c, description, runId);
            }
        }
        return new Plan(txns, balance);
    }

    /** Debits the wallet what it can pay of {@code chargeCents}; the creator earns on what was collected. */
    private static long charge(List<LedgerTxn> txns, String payer, long balance, Usage usage, long chargeCents,
                               String txnId, String refersTo, String description, String runId, LocalDate runDate) {
        long collected = Math.min(Math.max(balance, 0), chargeCents);
        long uncollected = chargeCents - collected;
        txns.add(new LedgerTxn(txnId, payer, TxnType.DEBIT, -collected, description, usage.usageDate(), runId, runDate,
                usage.resourceId(), month(usage), new LedgerTxn.DebitAmounts(chargeCents, collected, uncollected),
                refersTo, walletLegFirst(
                new LedgerTxn.Leg(LedgerAccounts.wallet(payer), -collected),
                new LedgerTxn.Leg(LedgerAccounts.receivable(payer), -uncollected),
                new LedgerTxn.Leg(counterAccount(usage), chargeCents))));
        if (usage.kind() == UsageKind.TOOL_CALL && collected != 0) {
            txns.add(earning(usage, txnId, collected, runId, runDate));
        }
        return balance - collected;
    }

    /** Gives back {@code -amountCents}: first cancels what is still uncollected, then refunds the wallet. */
    private static long refund(List<LedgerTxn> txns, String payer, long balance, CorrectionGroup c,
                               String description, String runId) {
        Usage usage = c.usage();
        long total = -c.amountCents();
        long cancelled = Math.min(Math.max(c.uncollectedCents(), 0), total);
        long refunded = total - cancelled;
        txns.add(new LedgerTxn(c.txnId(), payer, TxnType.REFUND, refunded, description, usage.usageDate(), runId,
                c.runDate(), usage.resourceId(), month(usage),
                new LedgerTxn.DebitAmounts(-total, -refunded, -cancelled), c.refersTo(), walletLegFirst(
                new LedgerTxn.Leg(LedgerAccounts.wallet(payer), refunded),
                new LedgerTxn.Leg(LedgerAccounts.receivable(payer), cancelled),
                new LedgerTxn.Leg(counterAccount(usage), -total))));
        if (usage.kind() == UsageKind.TOOL_CALL && refunded != 0) {
            txns.add(earning(usage, c.txnId(), -refunded, runId, c.runDate()));
        }
        return balance + refunded;
    }

    /** The creator's share of {@code collectedCents} (negative: taken back for a refund). */
    private static LedgerTxn earning(Usage usage, String debitId, long collectedCents, String runId, LocalDate runDate) {
        long fee = Long.signum(collectedCents) * Money.feeCents(Math.abs(collectedCents), usage.feeFraction());
        long net = collectedCents - fee;
        String creator = usage.creatorAccountId();
        return new LedgerTxn(PostingIds.earningFor(debitId), creator, TxnType.EARNING, net,
                "Tool earnings: " + usage.resourceName(), usage.usageDate(), runId, runDate, usage.resourceId(),
                month(usage), null, debitId, List.of(
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_MARKETPLACE, -collectedCents),
                new LedgerTxn.Leg(LedgerAccounts.creatorPayable(creator), net),
                new LedgerTxn.Leg(LedgerAccounts.REVENUE_MARKETPLACE_FEE, fee)));
    }

    private static String counterAccount(Usage usage) {
        return usage.kind() == UsageKind.TOOL_CALL ? LedgerAccounts.CLEARING_MARKETPLACE : LedgerAccounts.REVENUE_USAGE;
    }

    private static LocalDate month(Usage usage) {
        return YearMonth.from(usage.usageDate()).atDay(1);
    }

    /** The wallet leg always, then the other legs that move money. */
    private static List<LedgerTxn.Leg> walletLegFirst(LedgerTxn.Leg walletLeg, LedgerTxn.Leg... others) {
        List<LedgerTxn.Leg> legs = new ArrayList<>();
        legs.add(walletLeg);
        for (LedgerTxn.Leg leg : others) {
            if (leg.amountCents() != 0) {
                legs.add(leg);
            }
        }
        return legs;
    }

    static String description(Usage usage) {
        return switch (usage.kind()) {
            case BOT_MESSAGE -> "Bot conversations: " + usage.resourceName();
            case AGENT_RUN -> "Agent executions: " + usage.resourceName();
            case TOOL_CALL -> "Tool calls: " + usage.resourceName();
            default -> throw new IllegalArgumentException("no wallet charge for " + usage.kind());
        };
    }
}
