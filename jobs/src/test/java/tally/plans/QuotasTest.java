package tally.plans;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QuotasTest {

    static final BigDecimal FREE_GRACE = new BigDecimal("0.10");
    static final OveragePrice API_CALLS = new OveragePrice("agentstack", Counter.API_CALLS, Instant.EPOCH, null,
            new BigDecimal("50"), 1, "test");
    static final OveragePrice LOGIC_ENGINE = new OveragePrice("agentstack", Counter.LOGIC_ENGINE_CALLS, Instant.EPOCH, null,
            new BigDecimal("100"), 1, "test");

    @Test
    void graceBoundariesOfTheFreePlan() {
        // The doc's example: 50,000 API requests with 10% grace give a hard limit of 55,000.
        assertThat(Quotas.hardLimit(50_000, FREE_GRACE)).isEqualTo(55_000);
        assertThat(status(49_999)).isEqualTo(QuotaStatus.OK);
        assertThat(status(50_000)).isEqualTo(QuotaStatus.OK);
        assertThat(status(50_001)).isEqualTo(QuotaStatus.GRACE);
        assertThat(status(55_000)).isEqualTo(QuotaStatus.GRACE);
        assertThat(status(55_001)).isEqualTo(QuotaStatus.BLOCKED);
    }

    @Test
    void hardLimitIsFloored() {
        // 7 x 1.15 = 8.05: floor keeps whole units only.
        assertThat(Quotas.hardLimit(7, new BigDecimal("0.15"))).isEqualTo(8);
        assertThat(Quotas.hardLimit(1_000_001, new BigDecimal("0.15"))).isEqualTo(1_150_001);
    }

    private static QuotaStatus status(long used) {
        return Quotas.assess(Counter.API_REQUESTS, used, 50_000L, FREE_GRACE, null).status();
    }

    @Test
    void unlimitedIsAlwaysOk() {
        Assessment a = Quotas.assess(Counter.API_REQUESTS, Long.MAX_VALUE, null, FREE_GRACE, API_CALLS);
        assertThat(a.status()).isEqualTo(QuotaStatus.OK);
        assertThat(a.limit()).isNull();
        assertThat(a.overageCents()).isZero();
    }

    @Test
    void overageIsProRataWithAMinimumCharge() {
        // The doc's examples: 10K logic-engine calls over -> $10.00; 100K API calls over -> $50.00.
        assertThat(LOGIC_ENGINE.chargeCents(10_000)).isEqualTo(1000);
        assertThat(API_CALLS.chargeCents(100_000)).isEqualTo(5000);
        // One call over: $0.0005 or $0.001 rounds to 0, the minimum is $0.01.
        assertThat(API_CALLS.chargeCents(1)).isEqualTo(1);
        assertThat(LOGIC_ENGINE.chargeCents(1)).isEqualTo(1);
        assertThat(API_CALLS.chargeCents(0)).isZero();
    }

    @Test
    void proRataRoundsHalfEvenToCents() {
        assertThat(API_CALLS.chargeCents(1_010)).isEqualTo(50);   // 50.5 cents -> 50 (even)
        assertThat(API_CALLS.chargeCents(1_030)).isEqualTo(52);   // 51.5 cents -> 52 (even)
        assertThat(API_CALLS.chargeCents(1_011)).isEqualTo(51);   // 50.55 -> 51
        assertThat(API_CALLS.chargeCents(112_345)).isEqualTo(5617); // 5617.25 -> 5617
        assertThat(LOGIC_ENGINE.chargeCents(15)).isEqualTo(2);    // 1.5 -> 2 (even)
        assertThat(LOGIC_ENGINE.chargeCents(25)).isEqualTo(2);    // 2.5 -> 2 (even)
    }

    @Test
    void overageStatusChargesBeyondTheLimitOnly() {
        Assessment atLimit = Quotas.assess(Counter.API_CALLS, 200_000, 200_000L, null, API_CALLS);
        assertThat(atLimit.status()).isEqualTo(QuotaStatus.OK);
        Assessment over = Quotas.assess(Counter.API_CALLS, 200_500, 200_000L, null, API_CALLS);
        assertThat(over.status()).isEqualTo(QuotaStatus.OVERAGE);
        assertThat(over.overageUnits()).isEqualTo(500);
        assertThat(over.overageCents()).isEqualTo(25);
    }

    @Test
    void withoutOverageOrGraceBeyondTheLimitIsBlockedWithNoCharge() {
        Assessment a = Quotas.assess(Counter.API_CALLS, 200_001, 200_000L, null, null);
        assertThat(a.status()).isEqualTo(QuotaStatus.BLOCKED);
        assertThat(a.overageUnits()).isZero();
        assertThat(a.overageCents()).isZero();
    }
}
