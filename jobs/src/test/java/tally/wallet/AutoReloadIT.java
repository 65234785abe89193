package tally.wallet;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Fixture;
import tally.testing.StripeStub;
import tally.testing.TestSql;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-reload in the nightly run, against WireMock standing in for Stripe: acct_a opens with 2600 cents
 * and makes 20 calls of tool_c (2000 cents), leaving 600, below its 1000-cent threshold: one reload of
 * 2500 cents on cus_a / pm_a.
 */
class AutoReloadIT {

    static final LocalDate DAY = LocalDate.parse("2026-03-02");
    static final String RELOAD_ID = "reload:acct_a:2026-03-02:1";

    @TempDir
    Path tmp;

    Cli cli;
    Path input;
    StripeStub stripe;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.marketplaceReference(tmp.resolve("ref"), 2600).toString());
        input = tmp.resolve("input");
        Fixture.toolCalls(input, DAY, "tool_c", 20);
        stripe = new StripeStub();
    }

    @AfterEach
    void closeStripe() {
        stripe.close();
    }

    JsonNode balance() {
        return cli.ok("wallet", "balance", "--account", "acct_a");
    }

    @Test
    void aPostingBelowTheThresholdReloadsOnceWithTheReloadsLedgerIdAsKey() {
        stripe.stub(post(urlEqualTo(StripeStub.PAYMENT_INTENTS)).willReturn(StripeStub.paymentIntent("pi_1", "succeeded")));

        JsonNode run = cli.nightly(DAY.toString(), input);

        assertThat(run.get("auto_reloads").get("succeeded").asLong()).isEqualTo(1);
        assertThat(run.get("auto_reloads").get("credited_cents").asLong()).isEqualTo(2500);
        assertThat(run.get("controls_ok").asBoolean()).isTrue();
        assertThat(balance().get("balance_cents").asLong()).isEqualTo(600 + 2500);
        List<LoggedRequest> requests = stripe.requests(StripeStub.PAYMENT_INTENTS);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(StripeStub.idempotencyKey(r)).isEqualTo(RELOAD_ID);
            assertThat(StripeStub.form(r)).containsAllEntriesOf(Map.of("amount", "2500", "currency", "usd",
                    "customer", "cus_a", "payment_method", "pm_a", "off_session", "true", "confirm", "true",
                    "metadata[tally_ledger_id]", RELOAD_ID));
        });
        JsonNode deposit = cli.ok("wallet", "transactions", "--account", "acct_a").get("transactions").get(0);
        assertThat(deposit.get("id").asText()).isEqualTo(RELOAD_ID);
        assertThat(deposit.get("type").asText()).isEqualTo("deposit");

        assertThat(cli.nightly(DAY.toString(), input).get("status").asText()).isEqualTo("ALREADY_COMPLETE");
        assertThat(stripe.requests(StripeStub.PAYMENT_INTENTS)).as("never a second PaymentIntent").hasSize(1);
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }

    @Test
    void aCardDeclinePausesAutoReloadAndKeepsTheBalance() {
        stripe.stub(post(urlEqualTo(StripeStub.PAYMENT_INTENTS)).willReturn(
                StripeStub.error(402, "card_error", "card_declined", "Your card was declined.")));

        JsonNode run = cli.nightly(DAY.toString(), input);

        assertThat(run.get("auto_reloads").get("failed").asLong()).isEqualTo(1);
        assertThat(stripe.requests(StripeStub.PAYMENT_INTENTS)).as("no reload after a failure").hasSize(1);
        JsonNode balance = balance();
        assertThat(balance.get("balance_cents").asLong()).isEqualTo(600);
        assertThat(balance.get("auto_reload_paused").asBoolean()).isTrue();
        assertThat(TestSql.count(cli, "select count(*) from notification where account_id = 'acct_a' and kind = 'auto_reload_failed'"))
                .isEqualTo(1);

        // Paused: the next run's postings leave it below the threshold again, and nothing is charged.
        Fixture.toolCalls(input, DAY.plusDays(1), "tool_c", 1);
        cli.nightly(DAY.plusDays(1).toString(), input);
        assertThat(stripe.requests(StripeStub.PAYMENT_INTENTS)).hasSize(1);
    }

    @Test
    void withoutAKeyTheStepDoesNothing() {
        stripe.close();
        JsonNode run = cli.nightly(DAY.toString(), input);
        assertThat(run.get("auto_reloads").get("stripe_configured").asBoolean()).isFalse();
        assertThat(run.get("auto_reloads").get("succeeded").asLong()).isZero();
        assertThat(balance().get("balance_cents").asLong()).isEqualTo(600);
        stripe = new StripeStub();
    }
}
