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
 * Turns one wallet's charged usage of one run into ledger transactions (RULES.md, Wallet). Pure:
 * the balance, carried-rounding state and already-posted ids come in, transactions go out.
 *
 * <p>Groups are (resource, usage day) and must come in the wallet's fixed order: usage day, then
 * resource id. Each debit is the carried-rounding amount of its (wallet, resource, month); the
 * wallet pays what its balance holds and the rest is uncollected. A paid tool call credits its
 * creator the collected amount less the marketplace fee.
 */
public final class UsageDebits {

    /** One (resource, usage day) of a wallet's charged usage. */
    public record Group(String resourceId, UsageKind kind, LocalDate usageDate, long exactUcents,
                        String resourceName, String creatorAccountId, BigDecimal feeFraction) {
    }

    /** Carried-rounding key: one (resource, month) of the wallet. */
    public record CarryKey(String resourceId, YearMonth month) {
    }

    /** What planning gives back: transactions to write and the wallet's balance after them. */
    public record Plan(List<LedgerTxn> txns, long balanceAfterCents) {
    }

    private UsageDebits() {
    }

    /**
     * @param carries      per (resource, month): the state before this run; advanced in place
     * @param alreadyPosted charge_cents of this run's debits that a previous attempt already wrote
     */
    public static Plan plan(String payerAccountId, long balanceCents, List<Group> groups,
                            Map<CarryKey, CarriedRounding> carries, Map<String, Long> alreadyPosted,
                            LocalDate arrivalDate, String runId) {
        List<LedgerTxn> txns = new ArrayList<>();
        long balance = balanceCents;
        for (Group group : groups) {
            CarriedRounding carry = carries.computeIfAbsent(
                    new CarryKey(group.resourceId(), YearMonth.from(group.usageDate())), k -> new CarriedRounding(0, 0));
            String debitId = PostingIds.debit(payerAccountId, group.resourceId(), group.usageDate(), arrivalDate);
            Long posted = alreadyPosted.get(debitId);
            if (posted != null) {
                carry.alreadyPosted(group.exactUcents(), posted);
                continue;
            }
            long chargeCents = carry.next(group.exactUcents());
            long collected = Math.min(Math.max(balance, 0), chargeCents);
            long uncollected = chargeCents - collected;
            balance -= collected;
            txns.add(debit(payerAccountId, group, debitId, chargeCents, collected, uncollected, runId, arrivalDate));
            if (group.kind() == UsageKind.TOOL_CALL && collected > 0) {
                txns.add(earning(group, debitId, collected, runId, arrivalDate));
            }
        }
        return new Plan(txns, balance);
    }

    private static LedgerTxn debit(String payer, Group group, String debitId, long chargeCents, long collected,
                                   long uncollected, String runId, LocalDate arrivalDate) {
        String counterAccount = group.kind() == UsageKind.TOOL_CALL
                ? LedgerAccounts.CLEARING_MARKETPLACE : LedgerAccounts.REVENUE_USAGE;
        return new LedgerTxn(debitId, payer, TxnType.DEBIT, -collected, description(group), group.usageDate(), runId, arrivalDate,
                group.resourceId(), YearMonth.from(group.usageDate()).atDay(1),
                new LedgerTxn.DebitAmounts(chargeCents, collected, uncollected), null, walletLegFirst(
                new LedgerTxn.Leg(LedgerAccounts.wallet(payer), -collected),
                new LedgerTxn.Leg(LedgerAccounts.receivable(payer), -uncollected),
                new LedgerTxn.Leg(counterAccount, chargeCents)));
    }

    private static LedgerTxn earning(Group group, String debitId, long collected, String runId, LocalDate arrivalDate) {
        long fee = Money.feeCents(collected, group.feeFraction());
        long net = collected - fee;
        String creator = group.creatorAccountId();
        return new LedgerTxn(PostingIds.earningFor(debitId), creator, TxnType.EARNING, net,
                "Tool earnings: " + group.resourceName(), group.usageDate(), runId, arrivalDate, group.resourceId(),
                YearMonth.from(group.usageDate()).atDay(1), null, debitId, List.of(
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_MARKETPLACE, -collected),
                new LedgerTxn.Leg(LedgerAccounts.creatorPayable(creator), net),
                new LedgerTxn.Leg(LedgerAccounts.REVENUE_MARKETPLACE_FEE, fee)));
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

    static String description(Group group) {
        return switch (group.kind()) {
            case BOT_MESSAGE -> "Bot conversations: " + group.resourceName();
            case AGENT_RUN -> "Agent executions: " + group.resourceName();
            case TOOL_CALL -> "Tool calls: " + group.resourceName();
            default -> throw new IllegalArgumentException("no wallet charge for " + group.kind());
        };
    }
}
