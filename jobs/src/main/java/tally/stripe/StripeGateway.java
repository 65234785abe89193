package tally.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferListParams;
import org.springframework.stereotype.Component;
import tally.money.Money;

import java.util.ArrayList;
import java.util.List;

/**
 * The only code that talks to Stripe. Every call that moves money carries an idempotency key: the
 * ledger id of the payout or reload, committed before the call, so a retry (the SDK's own, or a
 * restart after a crash or a lost response) can never move the money twice.
 *
 * <p>Outcomes: {@link Accepted} (Stripe did it), {@link Declined} (Stripe answered no: card,
 * request or permission error; the money did not move), {@link Unknown} (no answer, 5xx, rate limit:
 * it may have happened; retry later with the same key). A refused API key stops the run.
 */
@Component
public class StripeGateway {

    /** Metadata naming the Tally ledger id on every object Tally creates at Stripe. */
    public static final String METADATA_LEDGER_ID = "tally_ledger_id";
    private static final String CURRENCY = Money.CURRENCY.toLowerCase();

    public sealed interface Outcome permits Accepted, Declined, Unknown {
    }

    public record Accepted(String stripeId) implements Outcome {
    }

    public record Declined(String reason) implements Outcome {
    }

    public record Unknown(String reason) implements Outcome {
    }

    /** A Transfer to a connected account for one payout. */
    public record TransferRequest(String ledgerId, long amountCents, String destination, String transferGroup) {
    }

    /** An off-session charge of a saved payment method for one reload. */
    public record ReloadCharge(String ledgerId, long amountCents, String customerId, String paymentMethodId) {
    }

    /** A Transfer as Stripe has it now. {@code ledgerId} is null for a transfer Tally did not create. */
    public record TransferState(String transferId, String ledgerId, long amountCents, long amountReversedCents,
                                String destination) {
    }

    private final StripeSettings settings;
    private final StripeClient client;

    public StripeGateway(StripeSettings settings) {
        this.settings = settings;
        this.client = settings.configured() ? client(settings) : null;
    }

    private static StripeClient client(StripeSettings settings) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(settings.apiKey())
                .setMaxNetworkRetries(settings.maxNetworkRetries()).setReadTimeout(settings.readTimeoutMs());
        if (!settings.apiBase().isEmpty()) {
            builder.setApiBase(settings.apiBase());
        }
        return builder.build();
    }

    public boolean configured() {
        return client != null;
    }

    public Outcome transfer(TransferRequest request) {
        TransferCreateParams params = TransferCreateParams.builder().setAmount(request.amountCents()).setCurrency(CURRENCY)
                .setDestination(request.destination()).setTransferGroup(request.transferGroup())
                .putMetadata(METADATA_LEDGER_ID, request.ledgerId()).build();
        try {
            Transfer transfer = client().v1().transfers().create(params, keyed(request.ledgerId()));
            return new Accepted(transfer.getId());
        } catch (StripeException e) {
            return outcomeOf(e);
        }
    }

    public Outcome chargeOffSession(ReloadCharge charge) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder().setAmount(charge.amountCents())
                .setCurrency(CURRENCY).setCustomer(charge.customerId()).setPaymentMethod(charge.paymentMethodId())
                .setOffSession(true).setConfirm(true).putMetadata(METADATA_LEDGER_ID, charge.ledgerId()).build();
        try {
            PaymentIntent intent = client().v1().paymentIntents().create(params, keyed(charge.ledgerId()));
            return switch (intent.getStatus()) {
                case "succeeded" -> new Accepted(intent.getId());
                case "processing" -> new Unknown("payment intent " + intent.getId() + " is still processing");
                default -> new Declined("payment intent " + intent.getId() + " ended " + intent.getStatus());
            };
        } catch (StripeException e) {
            return outcomeOf(e);
        }
    }

    /** Every Transfer of one transfer group (one payout run). */
    public List<TransferState> transfersInGroup(String transferGroup) {
        TransferListParams params = TransferListParams.builder().setTransferGroup(transferGroup).setLimit(100L).build();
        List<TransferState> states = new ArrayList<>();
        try {
            for (Transfer t : client().v1().transfers().list(params).autoPagingIterable()) {
                states.add(new TransferState(t.getId(), t.getMetadata() == null ? null : t.getMetadata().get(METADATA_LEDGER_ID),
                        t.getAmount(), t.getAmountReversed() == null ? 0 : t.getAmountReversed(), t.getDestination()));
            }
            return states;
        } catch (StripeException e) {
            throw new IllegalStateException("Stripe transfers of group " + transferGroup + " could not be listed: "
                    + reason(e), e);
        }
    }

    private StripeClient client() {
        if (client == null) {
            throw new IllegalStateException(StripeSettings.notConfiguredMessage("Stripe call"));
        }
        return client;
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private Outcome outcomeOf(StripeException e) {
        if (e instanceof AuthenticationException) {
            throw new IllegalStateException("Stripe refused the API key (STRIPE_API_KEY) at " + settings, e);
        }
        if (e instanceof CardException || e instanceof InvalidRequestException || e instanceof PermissionException) {
            return new Declined(reason(e));
        }
        return new Unknown(reason(e));
    }

    private static String reason(StripeException e) {
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getMessage();
        String code = e instanceof CardException card && card.getDeclineCode() != null ? card.getDeclineCode() : e.getCode();
        return (code == null ? "" : code + ": ") + message;
    }
}
