package tally.payouts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tally.TallyApplication;
import tally.infra.FaultInjection;
import tally.testing.Cli;
import tally.testing.Fixture;
import tally.testing.StripeStub;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a payout run (a JVM halt, as kill -9) after the payout's ledger commit and before the Stripe
 * call, or after Stripe answered and before the answer was recorded, then runs the same command again:
 * exactly one transfer (one idempotency key) and a paid payout, every time.
 */
class PayoutCrashIT {

    static final String PAYOUT_ID = "payout:acct_c:weekly:2026-03-09";

    @ParameterizedTest(name = "halt at {0}")
    @ValueSource(strings = {"ledger-write:1", "stripe-call:1", "stripe-response:1"})
    void aRestartEndsWithOneTransferAndAPaidPayout(String haltPoint, @TempDir Path tmp) throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.marketplaceReference(tmp.resolve("ref"), 100_000).toString());
        Fixture.toolCalls(tmp.resolve("input"), LocalDate.parse("2026-03-02"), "tool_c", 20);
        cli.nightly("2026-03-02", tmp.resolve("input"));

        try (StripeStub stripe = new StripeStub()) {
            stripe.transfersSucceed("tr_1");
            Path log = tmp.resolve("crashed-run.log");
            assertThat(payoutsInSeparateJvm(cli, stripe, haltPoint, log)).as("killed at " + haltPoint)
                    .isEqualTo(FaultInjection.HALT_STATUS);
            assertThat(Files.readString(log)).doesNotContain(StripeStub.API_KEY);

            JsonNode run = cli.ok("payouts", "--schedule", "weekly", "--date", "2026-03-09");

            assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(run.get("payouts")).singleElement().satisfies(p -> {
                assertThat(p.get("status").asText()).isEqualTo("paid");
                assertThat(p.get("amount_cents").asLong()).isEqualTo(1600);
            });
            assertThat(stripe.requests(StripeStub.TRANSFERS)).isNotEmpty()
                    .allSatisfy(r -> assertThat(StripeStub.idempotencyKey(r)).isEqualTo(PAYOUT_ID));
            assertThat(cli.ok("earnings", "--account", "acct_c").get("lifetime_paid_out_cents").asLong()).isEqualTo(1600);
            assertThat(cli.ok("ledger", "verify").get("ok").asBoolean()).isTrue();
        }
    }

    private static int payoutsInSeparateJvm(Cli cli, StripeStub stripe, String haltPoint, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + FaultInjection.PROPERTY + "=" + haltPoint, "-Duser.timezone=UTC",
                "-cp", System.getProperty("java.class.path"), TallyApplication.class.getName(),
                "payouts", "--schedule", "weekly", "--date", "2026-03-09",
                "--db", cli.dbUrl(), "--home", cli.home().toString(), "--rules", Cli.RULES.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(stripe.environment());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the crashing run did not end: see " + log);
        }
        return process.exitValue();
    }
}
