package tally.wallet;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class AutoReloadTest {

    static final AutoReload.Settings ON = new AutoReload.Settings(true, 500L, 2500L, "cus_a", "pm_a", false);

    @Test
    void reloadsTheAmountOnlyBelowTheThreshold() {
        assertThat(AutoReload.next(ON, 499, 0)).isEqualTo(OptionalLong.of(2500));
        assertThat(AutoReload.next(ON, 500, 0)).isEmpty();
    }

    @Test
    void atMostThreeReloadsPerRun() {
        assertThat(AutoReload.next(ON, 0, 2)).isEqualTo(OptionalLong.of(2500));
        assertThat(AutoReload.next(ON, 0, AutoReload.MAX_RELOADS_PER_RUN)).isEmpty();
    }

    @Test
    void offPausedOrWithoutASavedPaymentMethodNothingIsCharged() {
        assertThat(AutoReload.next(new AutoReload.Settings(false, 500L, 2500L, "cus_a", "pm_a", false), 0, 0)).isEmpty();
        assertThat(AutoReload.next(new AutoReload.Settings(true, 500L, 2500L, "cus_a", "pm_a", true), 0, 0)).isEmpty();
        assertThat(AutoReload.next(new AutoReload.Settings(true, 500L, 2500L, "cus_a", null, false), 0, 0)).isEmpty();
        assertThat(AutoReload.next(new AutoReload.Settings(true, null, null, "cus_a", "pm_a", false), 0, 0)).isEmpty();
    }
}
