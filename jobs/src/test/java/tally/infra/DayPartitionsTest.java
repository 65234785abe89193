package tally.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DayPartitionsTest {

    @Test
    void aParentIndexBecomesTheSameIndexOnTheDayTable() {
        assertThat(DayPartitions.onDayTable(
                "CREATE UNIQUE INDEX usage_event_pkey ON ONLY public.usage_event USING btree (event_id, arrival_date)",
                "usage_event_20260302"))
                .isEqualTo(new DayPartitions.IndexBuild("usage_event_20260302_pkey", "create unique index if not exists usage_event_20260302_pkey on usage_event_20260302 "
                        + "using btree (event_id, arrival_date)"));
        assertThat(DayPartitions.onDayTable(
                "CREATE INDEX usage_event_resource_day ON ONLY public.usage_event USING btree (resource_id, usage_date)",
                "usage_event_20260302").sql())
                .isEqualTo("create index if not exists usage_event_20260302_resource_day on usage_event_20260302 "
                        + "using btree (resource_id, usage_date)");
    }

    @Test
    void anIndexNamedOtherwiseKeepsItsNameAfterTheDayTable() {
        assertThat(DayPartitions.onDayTable("CREATE INDEX by_payer ON ONLY public.usage_event USING btree (payer_account_id)",
                "usage_event_20260302").sql())
                .startsWith("create index if not exists usage_event_20260302_by_payer on usage_event_20260302");
    }

    @Test
    void anUnexpectedDefinitionIsRefusedNamingIt() {
        assertThatThrownBy(() -> DayPartitions.onDayTable("CREATE INDEX x ON public.usage_event USING btree (a)", "t"))
                .hasMessageContaining("unexpected index definition: CREATE INDEX x ON public.usage_event");
    }
}
