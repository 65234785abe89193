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
 * wallet pays what its balance holds and the rest is uncollected; what a tool debit collected is
 * reported with its fee, and the run credits each tool's creator once per usage day
 * ({@link #earning}). Reruns: corrections of such groups, a further debit when positive, a refund
 * when negative (first cancelling what was uncollected), each moving its creator's share with it.
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

    /** A nightly tool debit's collected cents and the marketplace fee on them: what its creator's earning adds up. */
    public record ToolCollected(String toolId, LocalDate usageDate, long collectedCents, long feeCents) {
    }

    /**
     * What planning gives back: transactions to write, the wallet's balance after them, and (nightly)
     * what its tool debits collected.
     */
    public record Plan(List<LedgerTxn> txns, long balanceAfterCents, List<ToolCollected> toolsCollected) {
    }

    private UsageDebits() {
    }

    /**
     * @param carries per (resource, month): the state before this run; advanced in place
     */
    public static Plan plan(String payerAccountId, long balanceCents, List<Group> groups,
                            Map<CarryKey, CarriedRounding> carries, LocalDate arrivalDate, String runId) {
        List<LedgerTxn> txns = new ArrayList<>();
        List<ToolCollected> tools = new ArrayList<>();
        long balance = balanceCents;
        for (Group group : groups) {
            Usage usage = group.usage();
            CarriedRounding carry = carries.computeIfAbsent(group.carryKey(), k -> new CarriedRounding(0, 0));
            String debitId = PostingIds.debit(payerAccountId, usage.resourceId(), usage.usageDate(), arrivalDate);
            long chargeCents = carry.next(group.exactUcents());
            long collected = Math.min(Math.max(balance, 0), chargeCents);
            txns.add(debit(payerAccountId, usage, group.exactUcents(), chargeCents, collected, debitId, null,
                    description(usage), runId, arrivalDate));
            if (usage.kind() == UsageKind.TOOL_CALL && collected != 0) {
                tools.add(new ToolCollected(usage.resourceId(), usage.usageDate(), collected,
                        Money.feeCents(collected, usage.feeFraction())));
            }
            balance -= collected;
        }
        return new Plan(txns, balance, tools);
    }

    /** A rerun's corrections for one wallet, in (usage day, resource) order. */
    public static Plan planCorrections(String payerAccountId, long balanceCents, List<CorrectionGroup> corrections,
                                       String runId, String rulesVersion) {
        List<LedgerTxn> txns = new ArrayList<>();
        long balance = balanceCents;
        for (CorrectionGroup c : corrections) {
            String description = "Correction (rules " + rulesVersion + "): " + description(c.usage());
            if (c.amountCents() > 0) {
                Usage usage = c.usage();
                long collected = Math.min(Math.max(balance, 0), c.amountCents());
                txns.add(debit(payerAccountId, usage, null, c.amountCents(), collected, c.txnId(),
                        c.refersTo(), description, runId, c.runDate()));
                if (usage.kind() == UsageKind.TOOL_CALL && collected != 0) {
                    txns.add(correctionEarning(usage, c.txnId(), collected, runId, c.runDate()));
                }
                balance -= collected;
            } else {
                balance = refund(txns, payerAccountId, balance, c, description, runId);
            }
        }
        return new Plan(txns, balance, List.of());
    }

    /** A debit of {@code chargeCents} (a nightly one: for {@code exactUcents} of usage), of which the wallet pays {@code collected}. */
    private static LedgerTxn debit(String payer, Usage usage, Long exactUcents, long chargeCents, long collected,
                                   String txnId, String refersTo, String description, String runId, LocalDate runDate) {
        long uncollected = chargeCents - collected;
        return new LedgerTxn(txnId, payer, TxnType.DEBIT, -collected, description, usage.usageDate(), runId, runDate,
                usage.resourceId(), month(usage), new LedgerTxn.DebitAmounts(exactUcents, chargeCents, collected, uncollected),
                refersTo, walletLegFirst(
                new LedgerTxn.Leg(LedgerAccounts.wallet(payer), -collected),
                new LedgerTxn.Leg(LedgerAccounts.receivable(payer), -uncollected),
                new LedgerTxn.Leg(counterAccount(usage), chargeCents)));
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
                new LedgerTxn.DebitAmounts(null, -total, -refunded, -cancelled), c.refersTo(), walletLegFirst(
                new LedgerTxn.Leg(LedgerAccounts.wallet(payer), refunded),
                new LedgerTxn.Leg(LedgerAccounts.receivable(payer), cancelled),
                new LedgerTxn.Leg(counterAccount(usage), -total))));
        if (usage.kind() == UsageKind.TOOL_CALL && refunded != 0) {
            txns.add(correctionEarning(usage, c.txnId(), -refunded, runId, c.runDate()));
        }
        return balance + refunded;
    }

    /**
     * What a correction's collected (or refunded: negative) cents move in its tool creator's share:
     * collected less the fee on it, referring to the correction.
     */
    private static LedgerTxn correctionEarning(Usage usage, String correctionId, long collectedCents, String runId,
                                               LocalDate runDate) {
        long fee = Long.signum(collectedCents) * Money.feeCents(Math.abs(collectedCents), usage.feeFraction());
        return earning(PostingIds.earningFor(correctionId), usage.creatorAccountId(), usage.resourceId(),
                usage.resourceName(), usage.usageDate(), collectedCents, fee, correctionId, runId, runDate);
    }

    /**
     * A creator's earning: {@code collectedCents} of tool-call money leave the marketplace clearing
     * account, {@code feeCents} to the platform and the rest to the creator.
     */
    public static LedgerTxn earning(String txnId, String creatorAccountId, String toolId, String toolName,
                                    LocalDate usageDate, long collectedCents, long feeCents, String refersTo,
                                    String runId, LocalDate runDate) {
        long net = collectedCents - feeCents;
        return new LedgerTxn(txnId, creatorAccountId, TxnType.EARNING, net, "Tool earnings: " + toolName, usageDate,
                runId, runDate, toolId, YearMonth.from(usageDate).atDay(1), null, refersTo, List.of(
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_MARKETPLACE, -collectedCents),
                new LedgerTxn.Leg(LedgerAccounts.creatorPayable(creatorAccountId), net),
                new LedgerTxn.Leg(LedgerAccounts.REVENUE_MARKETPLACE_FEE, feeCents)));
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
