package tally.scheduling;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.scheduling.TestNode.SettableClock;
import tally.testing.Cli;
import tally.testing.Fixture;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catch-up with a controllable clock and the repository's config/schedules.yaml (nightly at 02:00
 * UTC for the previous day): bot_a sends two messages every day; 2026-03-01 ran before the scheduler
 * was down for three nights.
 */
class CatchUpIT {

    static final ScheduleConfig SCHEDULES = ScheduleConfig.load(Cli.REPO.resolve("config/schedules.yaml"));

    @TempDir
    Path tmp;

    Cli cli;
    Path input;

    @BeforeEach
    void firstNightRan() {
        cli = new Cli(tmp.resolve("home"));
        cli.ok("import", "reference", "--dir", Fixture.oneBotReference(tmp.resolve("ref"), 10_000).toString());
        input = tmp.resolve("input");
        cli.nightly("2026-03-01", withMessages("2026-03-01"));
    }

    Path withMessages(String day) {
        Fixture.botMessages(input, LocalDate.parse(day), "gpt-4o", 2, 10_000, 2_000);
        return input;
    }

    /** The nightly dates a wake-up ran (month close and payouts are launched too, after nightly). */
    List<String> ran(List<CatchUp.Outcome> outcomes) {
        List<String> ran = new ArrayList<>();
        outcomes.stream().filter(o -> o.job().equals("nightly"))
                .forEach(o -> ran.add(o.date() + (o.completed() ? " ok" : " failed")));
        return ran;
    }

    @Test
    void threeMissedNightsRunInOrderAndTheNextFireRunsTheNextDay() {
        List.of("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05").forEach(this::withMessages);
        SettableClock clock = new SettableClock("2026-03-05T09:00:00Z");
        try (TestNode node = new TestNode(cli, input, clock)) {
            CatchUp catchUp = node.bean(CatchUp.class);
            assertThat(ran(catchUp.runDue(SCHEDULES))).containsExactly("2026-03-02 ok", "2026-03-03 ok", "2026-03-04 ok");
            assertThat(catchUp.runDue(SCHEDULES)).as("nothing is due twice").isEmpty();

            clock.set("2026-03-06T01:59:00Z");
            assertThat(catchUp.runDue(SCHEDULES)).isEmpty();
            clock.set("2026-03-06T02:00:05Z");
            assertThat(ran(catchUp.runDue(SCHEDULES))).containsExactly("2026-03-05 ok");
        }
        JsonNode runs = cli.ok("runs", "--job", "nightly", "--json").get("runs");
        assertThat(runs).extracting(r -> r.get("date").asText() + " " + r.get("status").asText())
                .as("newest first, executions in date order")
                .containsExactly("2026-03-05 COMPLETED", "2026-03-04 COMPLETED", "2026-03-03 COMPLETED",
                        "2026-03-02 COMPLETED", "2026-03-01 COMPLETED");
        assertThat(runs.get(0).get("counts").get("read").asLong()).isEqualTo(2);
        assertThat(runs.get(0).get("controls_ok").asBoolean()).isTrue();
        assertThat(cli.ok("wallet", "balance", "--account", "acct_a").get("balance_cents").asLong())
                .as("five days of two 4.5-cent messages").isEqualTo(10_000 - 45);
    }

    @Test
    void aFailingDateStopsLaterDatesUntilItSucceeds() {
        withMessages("2026-03-02");
        withMessages("2026-03-04"); // 2026-03-03 has no partition yet: its run fails (bad input)
        SettableClock clock = new SettableClock("2026-03-05T09:00:00Z");
        try (TestNode node = new TestNode(cli, input, clock)) {
            CatchUp catchUp = node.bean(CatchUp.class);
            assertThat(ran(catchUp.runDue(SCHEDULES))).containsExactly("2026-03-02 ok", "2026-03-03 failed");
            assertThat(ran(catchUp.runDue(SCHEDULES))).as("retried on the next wake-up, 03-04 still waits")
                    .containsExactly("2026-03-03 failed");

            withMessages("2026-03-03");
            assertThat(ran(catchUp.runDue(SCHEDULES))).containsExactly("2026-03-03 ok", "2026-03-04 ok");
        }
        Cli.Result table = cli.run("runs", "--limit", "10");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).startsWith("JOB").contains("2026-03-04  COMPLETED").contains("2026-03-03  FAILED");
    }
}
