package tally.payouts;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.payouts.PayoutPlanner.Decision.BELOW_MINIMUM;
import static tally.payouts.PayoutPlanner.Decision.NOTHING_DUE;
import static tally.payouts.PayoutPlanner.Decision.NO_CONNECTED_ACCOUNT;
import static tally.payouts.PayoutPlanner.Decision.PAY;

class PayoutPlannerTest {

    static final LocalDate MONDAY = LocalDate.parse("2026-03-09");

    static PayoutPlanner.Line plan(long dueCents, long balanceCents, String stripeAccount) {
        return PayoutPlanner.plan(PayoutSchedule.WEEKLY, MONDAY,
                List.of(new PayoutPlanner.Creator("acct_c", stripeAccount, dueCents, balanceCents))).get(0);
    }

    @Test
    void paysWhatIsDueFromTheMinimumOnWithAnIdFromCreatorScheduleAndDate() {
        PayoutPlanner.Line line = plan(1000, 1500, "acct_1C");
        assertThat(line.decision()).isEqualTo(PAY);
        assertThat(line.amountCents()).isEqualTo(1000);
        assertThat(line.payoutId()).isEqualTo("payout:acct_c:weekly:2026-03-09");
    }

    @Test
    void belowTheMinimumOrWithoutAConnectedAccountTheBalanceCarries() {
        assertThat(plan(999, 999, "acct_1C").decision()).isEqualTo(BELOW_MINIMUM);
        assertThat(plan(5000, 5000, null).decision()).isEqualTo(NO_CONNECTED_ACCOUNT);
        assertThat(plan(5000, 5000, " ").payoutId()).isNull();
    }

    @Test
    void neverMoreThanTheWholeBalanceAndNothingWhenNothingIsOwed() {
        assertThat(plan(3000, 1200, "acct_1C").amountCents()).isEqualTo(1200);
        assertThat(plan(3000, 900, "acct_1C").decision()).isEqualTo(BELOW_MINIMUM);
        assertThat(plan(-400, 2000, "acct_1C").decision()).isEqualTo(NOTHING_DUE);
        assertThat(plan(-400, 2000, "acct_1C").amountCents()).isZero();
    }

    @Test
    void runDaysAreMondaysAndFirsts() {
        assertThat(PayoutSchedule.WEEKLY.isRunDay(MONDAY)).isTrue();
        assertThat(PayoutSchedule.WEEKLY.isRunDay(MONDAY.plusDays(1))).isFalse();
        assertThat(PayoutSchedule.MONTHLY.isRunDay(LocalDate.parse("2026-04-01"))).isTrue();
        assertThat(PayoutSchedule.MONTHLY.isRunDay(MONDAY)).isFalse();
    }
}
