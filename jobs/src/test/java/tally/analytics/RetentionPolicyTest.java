package tally.analytics;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPolicyTest {

    @Test
    void daysByTier() {
        assertThat(RetentionPolicy.days("agentstack", "anonymous")).hasValue(7);
        assertThat(RetentionPolicy.days("agentstack", "free")).hasValue(7);
        assertThat(RetentionPolicy.days("agentstack", "starter")).hasValue(30);
        assertThat(RetentionPolicy.days("agentstack", "basic")).hasValue(30);
        assertThat(RetentionPolicy.days("agentstack", "pro")).hasValue(90);
        assertThat(RetentionPolicy.days("agentstack", "premium")).hasValue(365);
        assertThat(RetentionPolicy.days("agentstack", "enterprise")).isEmpty();
        assertThat(RetentionPolicy.days("aerostack", "free")).hasValue(90);
        assertThat(RetentionPolicy.days("aerostack", "enterprise")).hasValue(90);
        assertThatThrownBy(() -> RetentionPolicy.days("agentstack", "gold")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSevenDayTierKeepsTheRunDayAndTheSevenBefore() {
        assertThat(RetentionPolicy.firstDayKept("agentstack", "free", LocalDate.parse("2026-03-04")))
                .contains(LocalDate.parse("2026-02-25"));
        assertThat(RetentionPolicy.firstDayKept("agentstack", "enterprise", LocalDate.parse("2026-03-04"))).isEqualTo(Optional.empty());
    }
}
