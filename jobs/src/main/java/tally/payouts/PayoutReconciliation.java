package tally.payouts;

import org.springframework.stereotype.Service;
import tally.stripe.StripeGateway;
import tally.stripe.StripeSettings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code tally payouts reconcile}: the payouts of one date whose Stripe state disagrees with the
 * ledger. Reads the transfers of each run's transfer group from Stripe and matches them to payouts
 * by the ledger id in their metadata.
 */
@Service
public class PayoutReconciliation {

    private final PayoutStore store;
    private final StripeGateway stripe;
    public PayoutReconciliation(PayoutStore store, StripeGateway stripe) {
        this.store = store;
        this.stripe = stripe;
    }

    public Map<String, Object> reconcile(LocalDate payoutDate) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", payoutDate.toString());
        if (!stripe.configured()) {
            out.put("status", "SKIPPED");
            out.put("message", StripeSettings.notConfiguredMessage("reconciliation of " + payoutDate));
            return out;
        }
        List<PayoutStore.Payout> payouts = store.ofDate(payoutDate);
        Map<String, StripeGateway.TransferState> atStripe = new HashMap<>();
        List<StripeGateway.TransferState> unknownToLedger = new ArrayList<>();
        for (String group : new TreeSet<>(payouts.stream().map(PayoutStore.Payout::transferGroup).toList())) {
            for (StripeGateway.TransferState t : stripe.transfersInGroup(group)) {
                if (t.ledgerId() == null) {
                    unknownToLedger.add(t);
                } else {
                    atStripe.put(t.ledgerId(), t);
                }
            }
        }
        List<Map<String, Object>> disagreements = new ArrayList<>();
        for (PayoutStore.Payout p : payouts) {
            StripeGateway.TransferState t = atStripe.remove(p.payoutId());
            String problem = disagreement(p, t, store.returnedCents(p.payoutId()));
            if (problem != null) {
                disagreements.add(row(p.payoutId(), p.status(), t, problem));
            }
        }
        atStripe.values().forEach(t -> unknownToLedger.add(t));
        unknownToLedger.forEach(t -> disagreements.add(row(null, null, t, "transfer at Stripe that no payout in the ledger made")));
        out.put("status", "COMPLETED");
        out.put("payouts_checked", payouts.size());
        out.put("ok", disagreements.isEmpty());
        out.put("disagreements", disagreements);
        return out;
    }

    /** What is wrong with one payout, or null when Stripe and the ledger agree. */
    static String disagreement(PayoutStore.Payout p, StripeGateway.TransferState t, long returnedCents) {
        if (t == null) {
            return switch (p.status()) {
                case "paid", "returned" -> "the ledger says paid, Stripe has no transfer";
                case "pending" -> "pending in the ledger, no transfer at Stripe yet: run the payouts again";
                default -> null;
            };
        }
        if (p.status().equals("failed")) {
            return "the ledger says failed (money returned), but Stripe has transfer " + t.transferId();
        }
        if (p.status().equals("pending")) {
            return "Stripe has transfer " + t.transferId() + ", the ledger still says pending: run the payouts again";
        }
        if (t.amountCents() != p.amountCents() || !p.destination().equals(t.destination())) {
            return "Stripe transferred " + t.amountCents() + " cents to " + t.destination() + ", the ledger "
                    + p.amountCents() + " to " + p.destination();
        }
        if (t.amountReversedCents() != returnedCents) {
            return "Stripe reversed " + t.amountReversedCents() + " cents, the ledger returned " + returnedCents;
        }
        return null;
    }

    private static Map<String, Object> row(String payoutId, String ledgerStatus, StripeGateway.TransferState t, String problem) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("payout_id", payoutId);
        row.put("ledger_status", ledgerStatus);
        row.put("stripe_transfer_id", t == null ? null : t.transferId());
        row.put("stripe_amount_cents", t == null ? null : t.amountCents());
        row.put("stripe_amount_reversed_cents", t == null ? null : t.amountReversedCents());
        row.put("problem", problem);
        return row;
    }
}
