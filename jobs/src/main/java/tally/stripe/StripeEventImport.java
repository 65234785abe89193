package tally.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Event;
import com.stripe.model.Payout;
import com.stripe.model.StripeObject;
import com.stripe.model.Transfer;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.BadInputException;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerStore;
import tally.ledger.LedgerTxn;
import tally.ledger.TxnType;
import tally.money.Money;
import tally.payouts.PayoutStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tally import stripe-events}: Stripe events, one JSON object a line, parsed with stripe-java's
 * event classes. Each event is applied in its own database transaction, at most once (event ids are
 * recorded), and every effect is a ledger transaction with a deterministic id, so duplicated and
 * reordered events change the ledger once:
 * <ul>
 *   <li>{@code transfer.reversed}: the payout's reversed amount returns to the developer balance;</li>
 *   <li>{@code payout.failed}: the payout's amount returns to the developer balance;</li>
 *   <li>{@code checkout.session.completed} (paid, {@code metadata.account_id}): a deposit, once per session.</li>
 * </ul>
 * A file with a line that is not an event (or whose object is not what its type says) is refused
 * whole, before anything is applied. An event that names no known payout is
 * reported {@code unmatched} and not recorded, so a later import can still apply it; an invalid
 * deposit is reported {@code rejected}.
 */
@Service
public class StripeEventImport {

    public static final String METADATA_ACCOUNT_ID = "account_id";
    public static final long MIN_DEPOSIT_CENTS = 500;
    public static final long MAX_DEPOSIT_CENTS = 50_000;

    /** What became of one event. */
    public enum Outcome { APPLIED, ALREADY_APPLIED, DUPLICATE, IGNORED, UNMATCHED, REJECTED }

    public record Result(int line, String eventId, String type, Outcome outcome, String detail) {
    }

    /** The object types of the events Tally acts on. */
    private static final Map<String, Class<? extends StripeObject>> HANDLED = Map.of(
            "transfer.reversed", Transfer.class, "payout.failed", Payout.class, "checkout.session.completed", Session.class);

    /** One line's event and, for the types Tally acts on, its object. */
    private record Parsed(int line, Event event, StripeObject object) {
    }

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final PayoutStore payouts;
    private final TransactionTemplate tx;

    public StripeEventImport(JdbcTemplate jdbc, LedgerStore ledger, PayoutStore payouts, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.payouts = payouts;
        this.tx = new TransactionTemplate(transactions);
    }

    public List<Result> importFile(Path file) {
        List<Result> results = new ArrayList<>();
        for (Parsed parsed : parse(file)) {
            results.add(tx.execute(status -> {
                Result result = apply(parsed);
                if (result.outcome() == Outcome.UNMATCHED || result.outcome() == Outcome.REJECTED) {
                    status.setRollbackOnly();
                }
                return result;
            }));
        }
        return results;
    }

    private static List<Parsed> parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BadInputException("--file " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<Parsed> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Event event;
            try {
                event = ApiResource.GSON.fromJson(lines.get(i), Event.class);
            } catch (RuntimeException e) {
                throw new BadInputException(file + " line " + (i + 1) + ": not a Stripe event: " + e.getMessage(), e);
            }
            String where = file + " line " + (i + 1);
            if (event == null || event.getId() == null || event.getType() == null || event.getCreated() == null
                    || event.getData() == null) {
                throw new BadInputException(where + ": a Stripe event needs id, type, created and data");
            }
            Class<? extends StripeObject> type = HANDLED.get(event.getType());
            events.add(new Parsed(i + 1, event, type == null ? null : object(where, event, type)));
        }
        return events;
    }

    private Result apply(Parsed parsed) {
        Event event = parsed.event();
        int recorded = jdbc.update("insert into stripe_event (event_id, type, outcome) values (?, ?, '') on conflict do nothing",
                event.getId(), event.getType());
        if (recorded == 0) {
            return result(parsed, Outcome.DUPLICATE, "event already imported");
        }
        Result result = switch (event.getType()) {
            case "transfer.reversed" -> transferReversed(parsed, (Transfer) parsed.object());
            case "payout.failed" -> payoutFailed(parsed, (Payout) parsed.object());
            case "checkout.session.completed" -> checkoutCompleted(parsed, (Session) parsed.object());
            default -> result(parsed, Outcome.IGNORED, "Tally does not act on " + event.getType());
        };
        jdbc.update("update stripe_event set outcome = ? where event_id = ?",
                result.outcome().name().toLowerCase() + ": " + result.detail(), event.getId());
        return result;
    }

    private Result transferReversed(Parsed parsed, Transfer transfer) {
        Optional<PayoutStore.Payout> payout = byLedgerId(transfer.getMetadata())
                .or(() -> payouts.findByTransfer(transfer.getId()));
        if (payout.isEmpty()) {
            return result(parsed, Outcome.UNMATCHED, "no payout made transfer " + transfer.getId());
        }
        long reversedInAll = transfer.getAmountReversed() != null ? transfer.getAmountReversed() : transfer.getAmount();
        return returned(parsed, payout.get(), reversedInAll, "Transfer reversed: " + transfer.getId());
    }

    private Result payoutFailed(Parsed parsed, Payout bankPayout) {
        Optional<PayoutStore.Payout> payout = byLedgerId(bankPayout.getMetadata());
        if (payout.isEmpty()) {
            return result(parsed, Outcome.UNMATCHED, "bank payout " + bankPayout.getId() + " names no Tally payout in metadata."
                    + StripeGateway.METADATA_LEDGER_ID);
        }
        return returned(parsed, payout.get(), payout.get().amountCents(), "Bank payout failed: "
                + (bankPayout.getFailureCode() == null ? bankPayout.getId() : bankPayout.getFailureCode()));
    }

    private Result returned(Parsed parsed, PayoutStore.Payout payout, long returnedInAllCents, String why) {
        long cents = payouts.markReturned(payout, returnedInAllCents, why, effectiveDate(parsed.event()),
                "stripe-event:" + parsed.event().getId());
        return cents > 0 ? result(parsed, Outcome.APPLIED, cents + " cents of " + payout.payoutId() + " returned to the balance")
                : result(parsed, Outcome.ALREADY_APPLIED, payout.payoutId() + ": that much had already come back");
    }

    private Result checkoutCompleted(Parsed parsed, Session session) {
        String account = session.getMetadata() == null ? null : session.getMetadata().get(METADATA_ACCOUNT_ID);
        if (account == null) {
            return result(parsed, Outcome.IGNORED, "checkout session " + session.getId() + " has no metadata." + METADATA_ACCOUNT_ID);
        }
        Long amount = session.getAmountTotal();
        String problem = !"paid".equals(session.getPaymentStatus()) ? "payment_status is " + session.getPaymentStatus()
                : !Money.CURRENCY.equalsIgnoreCase(session.getCurrency()) ? "currency is " + session.getCurrency()
                : amount == null || amount < MIN_DEPOSIT_CENTS || amount > MAX_DEPOSIT_CENTS
                ? "amount_total " + amount + " is outside " + MIN_DEPOSIT_CENTS + ".." + MAX_DEPOSIT_CENTS + " cents"
                : !walletExists(account) ? "account " + account + " has no wallet" : null;
        if (problem != null) {
            return result(parsed, Outcome.REJECTED, "checkout session " + session.getId() + ": " + problem);
        }
        Boolean credited = jdbc.queryForObject("select exists (select 1 from deposit where stripe_session_id = ?)",
                Boolean.class, session.getId());
        if (Boolean.TRUE.equals(credited)) {
            return result(parsed, Outcome.ALREADY_APPLIED, "checkout session " + session.getId() + " was already credited");
        }
        Instant created = Instant.ofEpochSecond(parsed.event().getCreated());
        jdbc.update("""
                insert into deposit (deposit_id, account_id, amount_cents, created_at, stripe_session_id) values (?, ?, ?, ?, ?)""",
                session.getId(), account, amount, Timestamp.from(created), session.getId());
        ledger.post(new LedgerTxn("deposit:" + session.getId(), account, TxnType.DEPOSIT, amount, "Stripe deposit",
                effectiveDate(parsed.event()), "stripe-event:" + parsed.event().getId(), null, null, null, null, null, List.of(
                new LedgerTxn.Leg(LedgerAccounts.wallet(account), amount),
                new LedgerTxn.Leg(LedgerAccounts.CLEARING_STRIPE, -amount))));
        return result(parsed, Outcome.APPLIED, amount + " cents deposited to " + account);
    }

    private boolean walletExists(String account) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from wallet where account_id = ?)",
                Boolean.class, account));
    }

    private Optional<PayoutStore.Payout> byLedgerId(Map<String, String> metadata) {
        String ledgerId = metadata == null ? null : metadata.get(StripeGateway.METADATA_LEDGER_ID);
        return ledgerId == null ? Optional.empty() : payouts.find(ledgerId);
    }

    private static StripeObject object(String where, Event event, Class<? extends StripeObject> type) {
        StripeObject object;
        try {
            object = event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            throw new BadInputException(where + ": the object of event " + event.getId() + " cannot be read: " + e.getMessage(), e);
        }
        if (!type.isInstance(object)) {
            throw new BadInputException(where + ": event " + event.getId() + " of type " + event.getType()
                    + " does not hold a " + type.getSimpleName());
        }
        return object;
    }

    private static LocalDate effectiveDate(Event event) {
        return Instant.ofEpochSecond(event.getCreated()).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static Result result(Parsed parsed, Outcome outcome, String detail) {
        return new Result(parsed.line(), parsed.event().getId(), parsed.event().getType(), outcome, detail);
    }

    /** The import's report: counts by outcome and one line per event. */
    public static Map<String, Object> report(Path file, List<Result> results) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome.name().toLowerCase(), results.stream().filter(r -> r.outcome() == outcome).count());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("line", r.line());
            row.put("event_id", r.eventId());
            row.put("type", r.type());
            row.put("outcome", r.outcome().name().toLowerCase());
            row.put("detail", r.detail());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("events", results.size());
        out.put("outcomes", counts);
        out.put("results", rows);
        return out;
    }
}
