package tally.payouts;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;
import tally.testing.Fixture;
import tally.testing.StripeStub;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creator payouts against WireMock standing in for Stripe. On Monday 2026-03-02 acct_a makes 20 calls
 * of tool_c (acct_c earns 20 x 80 = 1600 cents) and 5 of tool_m (acct_m earns 5 x 8 = 40 cents).
 * The weekly run of Monday 2026-03-09 pays acct_c 1600 cents; acct_m (monthly) stays below the minimum.
 */
class StripePayoutsIT {

    static final LocalDate DAY = LocalDate.parse("2026-03-02");
    static final String WEEKLY_RUN = "2026-03-09";
    static final String PAYOUT_ID = "payout:acct_c:weekly:2026-03-09";

    @TempDir
    Path tmp;

    Cli cli;
    StripeStub stripe;

    @BeforeEach
    void earnings() {
        cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.marketplaceReference(tmp.resolve("ref"), 100_000).toString());
        Path input = tmp.resolve("input");
        Fixture.toolCalls(input, DAY, "tool_c", 20);
        Fixture.toolCalls(input, DAY, "tool_m", 5);
        cli.nightly(DAY.toString(), input);
        assertThat(earnings("acct_c").get("balance_cents").asLong()).isEqualTo(1600);
        stripe = new StripeStub();
    }

    @AfterEach
    void closeStripe() {
        stripe.close();
    }

    JsonNode earnings(String account) {
        return cli.ok("earnings", "--account", account);
    }

    Cli.Result weekly(String date) {
        Cli.Result result = cli.run("payouts", "--schedule", "weekly", "--date", date);
        assertThat(result.out() + result.err()).doesNotContain(StripeStub.API_KEY);
        return result;
    }

    void assertLedgerHolds() {
        assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
    }

    @Test
    void oneTransferPerPayoutWithAmountDestinationAndKeyAndARerunSendsNothing() {
        stripe.transfersSucceed("tr_1");
        JsonNode run = weekly(WEEKLY_RUN).json();

        assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.get("controls_ok").asBoolean()).isTrue();
        assertThat(run.get("payouts")).hasSize(1);
        JsonNode payout = run.get("payouts").get(0);
        assertThat(payout.get("payout_id").asText()).isEqualTo(PAYOUT_ID);
        assertThat(payout.get("status").asText()).isEqualTo("paid");
        assertThat(payout.get("stripe_transfer_id").asText()).isEqualTo("tr_1");

        List<LoggedRequest> requests = stripe.requests(StripeStub.TRANSFERS);
        assertThat(requests).hasSize(1);
        assertThat(StripeStub.idempotencyKey(requests.get(0))).isEqualTo(PAYOUT_ID);
        assertThat(StripeStub.form(requests.get(0))).containsAllEntriesOf(Map.of("amount", "1600", "currency", "usd",
                "destination", "acct_1C", "transfer_group", "payouts:weekly:2026-03-09",
                "metadata[tally_ledger_id]", PAYOUT_ID));

        JsonNode earnings = earnings("acct_c");
        assertThat(earnings.get("balance_cents").asLong()).isZero();
        assertThat(earnings.get("lifetime_earned_cents").asLong()).isEqualTo(1600);
        assertThat(earnings.get("lifetime_paid_out_cents").asLong()).isEqualTo(1600);
        assertThat(earnings.get("pending_payout_cents").asLong()).isZero();

        String hash = cli.ok("ledger", "verify").get("hash").asText();
        assertThat(weekly(WEEKLY_RUN).exitCode()).isZero();
        assertThat(stripe.requests(StripeStub.TRANSFERS)).as("a rerun makes no second transfer").hasSize(1);
        assertThat(cli.ok("ledger", "verify").get("hash").asText()).isEqualTo(hash);
    }

    @Test
    void aServerErrorThenSuccessRetriesWithTheSameKey() {
        stripe.stub(post(urlEqualTo(StripeStub.TRANSFERS)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(StripeStub.error(500, "api_error", "internal", "Something went wrong")).willSetStateTo("up"));
        stripe.stub(post(urlEqualTo(StripeStub.TRANSFERS)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(StripeStub.transfer("tr_2")));

        JsonNode run = weekly(WEEKLY_RUN).json();

        assertThat(run.get("payouts").get(0).get("status").asText()).isEqualTo("paid");
        List<LoggedRequest> requests = stripe.requests(StripeStub.TRANSFERS);
        assertThat(requests).hasSize(2);
        assertThat(requests).allSatisfy(r -> assertThat(StripeStub.idempotencyKey(r)).isEqualTo(PAYOUT_ID));
        assertLedgerHolds();
    }

    @Test
    void aLostResponseLeavesThePayoutPendingAndARestartReusesTheKey() {
        stripe.readTimeoutMs(300);
        stripe.stub(post(urlEqualTo(StripeStub.TRANSFERS)).willReturn(StripeStub.transfer("tr_3").withFixedDelay(1500)));

        Cli.Result lost = weekly(WEEKLY_RUN);
        assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(1);
        assertThat(lost.json().get("status").asText()).isEqualTo("INCOMPLETE");
        JsonNode inFlight = earnings("acct_c");
        assertThat(inFlight.get("balance_cents").asLong()).isZero();
        assertThat(inFlight.get("pending_payout_cents").asLong()).isEqualTo(1600);
        assertThat(inFlight.get("lifetime_paid_out_cents").asLong()).isZero();
        assertThat(stripe.requests(StripeStub.TRANSFERS)).as("the SDK's own retries").hasSizeGreaterThan(1)
                .allSatisfy(r -> assertThat(StripeStub.idempotencyKey(r)).isEqualTo(PAYOUT_ID));

        stripe.server().resetAll();
        stripe.transfersSucceed("tr_3");
        JsonNode resumed = weekly(WEEKLY_RUN).json();

        assertThat(resumed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(resumed.get("payouts").get(0).get("stripe_transfer_id").asText()).isEqualTo("tr_3");
        assertThat(stripe.requests(StripeStub.TRANSFERS)).singleElement()
                .satisfies(r -> assertThat(StripeStub.idempotencyKey(r)).isEqualTo(PAYOUT_ID));
        assertThat(earnings("acct_c").get("lifetime_paid_out_cents").asLong()).isEqualTo(1600);
        assertLedgerHolds();
    }

    @Test
    void aStripeRefusalFailsThePayoutWithItsReasonAndKeepsTheBalanceWhole() {
        stripe.stub(post(urlEqualTo(StripeStub.TRANSFERS)).willReturn(
                StripeStub.error(400, "invalid_request_error", "account_invalid", "No such destination: acct_1C")));

        JsonNode run = weekly(WEEKLY_RUN).json();

        JsonNode payout = run.get("payouts").get(0);
        assertThat(payout.get("status").asText()).isEqualTo("failed");
        assertThat(payout.get("failure_reason").asText()).contains("account_invalid").contains("No such destination");
        assertThat(run.get("controls_ok").asBoolean()).isTrue();
        JsonNode earnings = earnings("acct_c");
        assertThat(earnings.get("balance_cents").asLong()).isEqualTo(1600);
        assertThat(earnings.get("lifetime_paid_out_cents").asLong()).isZero();
        assertLedgerHolds();

        stripe.server().resetAll();
        stripe.transfersSucceed("tr_4");
        weekly(WEEKLY_RUN);
        assertThat(stripe.requests(StripeStub.TRANSFERS)).as("a failed payout is final for its run").isEmpty();
        JsonNode nextWeek = weekly("2026-03-16").json();
        assertThat(nextWeek.get("payouts").get(0).get("amount_cents").asLong()).isEqualTo(1600);
        assertThat(StripeStub.idempotencyKey(stripe.requests(StripeStub.TRANSFERS).get(0)))
                .isEqualTo("payout:acct_c:weekly:2026-03-16");
        assertThat(earnings("acct_c").get("balance_cents").asLong()).isZero();
    }

    @Test
    void belowTheMinimumTheBalanceCarriesForward() {
        stripe.transfersSucceed("tr_5");
        JsonNode run = cli.ok("payouts", "--schedule", "monthly", "--date", "2026-04-01");

        assertThat(run.get("payouts")).isEmpty();
        assertThat(run.get("planned_now").get(0).get("decision").asText()).isEqualTo("below_minimum");
        assertThat(stripe.requests(StripeStub.TRANSFERS)).isEmpty();
        assertThat(earnings("acct_m").get("balance_cents").asLong()).isEqualTo(40);
    }

    @Test
    void runDatesAreCheckedAndADryRunSendsNothing() {
        stripe.transfersSucceed("tr_6");
        Cli.Result tuesday = cli.run("payouts", "--schedule", "weekly", "--date", "2026-03-10");
        assertThat(tuesday.exitCode()).isEqualTo(2);
        assertThat(tuesday.err()).contains("--date 2026-03-10").contains("--force");
        assertThat(cli.run("payouts", "--schedule", "monthly", "--date", "2026-04-02").exitCode()).isEqualTo(2);

        JsonNode dry = cli.ok("payouts", "--schedule", "weekly", "--date", "2026-03-10", "--force", "--dry-run");
        assertThat(dry.get("status").asText()).isEqualTo("DRY_RUN");
        assertThat(dry.get("plan").get(0).get("decision").asText()).isEqualTo("pay");
        assertThat(dry.get("plan").get(0).get("amount_cents").asLong()).isEqualTo(1600);
        assertThat(stripe.requests(StripeStub.TRANSFERS)).isEmpty();
        assertThat(earnings("acct_c").get("balance_cents").asLong()).isEqualTo(1600);
    }

    @Test
    void withoutAKeyNothingIsSentAndTheRunSaysSo() {
        stripe.close();
        JsonNode run = cli.ok("payouts", "--schedule", "weekly", "--date", WEEKLY_RUN);
        assertThat(run.get("status").asText()).isEqualTo("SKIPPED");
        assertThat(run.get("message").asText()).contains("STRIPE_API_KEY is not set");
        assertThat(earnings("acct_c").get("balance_cents").asLong()).isEqualTo(1600);
        stripe = new StripeStub();
    }

    @Test
    void duplicatedAndReorderedReturnsGiveOneCompensatingEntry() {
        stripe.transfersSucceed("tr_7");
        weekly(WEEKLY_RUN);
        String reversed = event("evt_rev_1", "transfer.reversed", """
                {"id": "tr_7", "object": "transfer", "amount": 1600, "amount_reversed": 1600, "currency": "usd",
                 "destination": "acct_1C", "reversed": true, "metadata": {"tally_ledger_id": "%s"}}""".formatted(PAYOUT_ID));
        String reversedAgain = event("evt_rev_2", "transfer.reversed", """
                {"id": "tr_7", "object": "transfer", "amount": 1600, "amount_reversed": 1600, "currency": "usd",
                 "destination": "acct_1C", "reversed": true, "metadata": {}}""");
        String bankFailed = event("evt_po_1", "payout.failed", """
                {"id": "po_1", "object": "payout", "amount": 1600, "currency": "usd", "failure_code": "account_closed",
                 "metadata": {"tally_ledger_id": "%s"}}""".formatted(PAYOUT_ID));
        Path file = tmp.resolve("events.jsonl");
        Fixture.write(file, String.join("\n", bankFailed, reversed, reversed, reversedAgain) + "\n");

        JsonNode first = cli.ok("import", "stripe-events", "--file", file.toString());
        assertThat(first.get("outcomes").get("applied").asLong()).isEqualTo(1);
        assertThat(first.get("outcomes").get("duplicate").asLong()).isEqualTo(1);
        assertThat(first.get("outcomes").get("already_applied").asLong()).isEqualTo(2);
        JsonNode again = cli.ok("import", "stripe-events", "--file", file.toString());
        assertThat(again.get("outcomes").get("duplicate").asLong()).isEqualTo(4);

        assertThat(earnings("acct_c").get("balance_cents").asLong()).isEqualTo(1600);
        assertThat(earnings("acct_c").get("lifetime_paid_out_cents").asLong()).isZero();
        JsonNode history = cli.ok("wallet", "transactions", "--account", "acct_c").get("transactions");
        assertThat(history.findValuesAsString("id").stream().filter(id -> id.startsWith("payout-return:")))
                .containsExactly("payout-return:acct_c:weekly:2026-03-09:1600");
        assertLedgerHolds();

        // Reconcile: Stripe says reversed, and so does the ledger; nothing disagrees.
        stripe.stub(get(urlPathEqualTo(StripeStub.TRANSFERS)).willReturn(okJson("""
                {"object": "list", "url": "/v1/transfers", "has_more": false, "data": [
                  {"id": "tr_7", "object": "transfer", "amount": 1600, "amount_reversed": 1600, "destination": "acct_1C",
                   "transfer_group": "payouts:weekly:2026-03-09", "metadata": {"tally_ledger_id": "%s"}}]}""".formatted(PAYOUT_ID))));
        JsonNode reconciled = cli.ok("payouts", "reconcile", "--date", WEEKLY_RUN);
        assertThat(reconciled.get("payouts_checked").asLong()).isEqualTo(1);
        assertThat(reconciled.get("disagreements")).isEmpty();
    }

    @Test
    void reconcileListsAPayoutReversedAtStripeButNotInTheLedger() {
        stripe.transfersSucceed("tr_8");
        weekly(WEEKLY_RUN);
        stripe.stub(get(urlPathEqualTo(StripeStub.TRANSFERS)).willReturn(okJson("""
                {"object": "list", "url": "/v1/transfers", "has_more": false, "data": [
                  {"id": "tr_8", "object": "transfer", "amount": 1600, "amount_reversed": 600, "destination": "acct_1C",
                   "transfer_group": "payouts:weekly:2026-03-09", "metadata": {"tally_ledger_id": "%s"}}]}""".formatted(PAYOUT_ID))));

        JsonNode reconciled = cli.ok("payouts", "reconcile", "--date", WEEKLY_RUN);

        assertThat(reconciled.get("ok").asBoolean()).isFalse();
        assertThat(reconciled.get("disagreements")).singleElement().satisfies(d -> {
            assertThat(d.get("payout_id").asText()).isEqualTo(PAYOUT_ID);
            assertThat(d.get("problem").asText()).contains("Stripe reversed 600 cents, the ledger returned 0");
        });
    }

    @Test
    void aCompletedCheckoutSessionIsDepositedOnce() {
        String completed = event("evt_cs_1", "checkout.session.completed", """
                {"id": "cs_test_1", "object": "checkout.session", "amount_total": 2500, "currency": "usd",
                 "payment_status": "paid", "metadata": {"account_id": "acct_a"}}""");
        String redelivered = completed.replace("evt_cs_1", "evt_cs_2");
        String tooSmall = event("evt_cs_3", "checkout.session.completed", """
                {"id": "cs_test_2", "object": "checkout.session", "amount_total": 100, "currency": "usd",
                 "payment_status": "paid", "metadata": {"account_id": "acct_a"}}""");
        Path file = tmp.resolve("deposits.jsonl");
        Fixture.write(file, String.join("\n", completed, redelivered, tooSmall) + "\n");
        long before = cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong();

        Cli.Result result = cli.run("import", "stripe-events", "--file", file.toString());

        assertThat(result.exitCode()).as("a rejected event is bad input").isEqualTo(2);
        assertThat(result.err()).contains("line 3").contains("amount_total 100");
        assertThat(result.json().get("outcomes").get("applied").asLong()).isEqualTo(1);
        assertThat(result.json().get("outcomes").get("already_applied").asLong()).isEqualTo(1);
        assertThat(cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong()).isEqualTo(before + 2500);
        assertThat(cli.run("import", "stripe-events", "--file", file.toString()).exitCode()).isEqualTo(2);
        assertThat(cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong()).isEqualTo(before + 2500);
        assertLedgerHolds();
    }

    @Test
    void aLineThatIsNotAnEventRefusesTheFileNamingTheLine() {
        Path file = tmp.resolve("bad.jsonl");
        Fixture.write(file, event("evt_x", "payout.failed", "{\"id\": \"po_x\", \"object\": \"payout\"}") + "\n{not json\n");
        Cli.Result result = cli.run("import", "stripe-events", "--file", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("bad.jsonl line 2");
    }

    static String event(String id, String type, String object) {
        return ("{\"id\": \"" + id + "\", \"object\": \"event\", \"api_version\": \"2024-06-20\", \"created\": 1773100800, "
                + "\"type\": \"" + type + "\", \"data\": {\"object\": " + object + "}}").replace("\n", " ");
    }
}
