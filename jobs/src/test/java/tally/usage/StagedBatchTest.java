package tally.usage;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StagedBatchTest {

    private static UsageEvent event(String id, String conversation, String endUser, Integer iterations, Long latencyMs,
                                    boolean success) {
        return new UsageEvent("date=2026-03-02/part-000.parquet", 41, id, Instant.parse("2026-03-02T10:15:30.123456Z"),
                UsageKind.BOT_MESSAGE, "acct_ümlaut", null, "bot\t1", conversation, endUser, "slack", "openai", "gpt-4o",
                null, 1200, 340, iterations, latencyMs, success, 1);
    }

    @Test
    void rowsComeBackAsTheyWentInWithNullsUnicodeAndSharedPrefixes() {
        List<UsageEvent> in = List.of(
                event("evt-20260302-000001", "conv-a", "user-1", null, null, true),
                event("evt-20260302-000002", null, null, 3, 0L, false),
                event("evt-20260302-000002-retry", "conv-a", "user-1", 0, 2500L, true),
                event("x", "c😀nv", "user-2", 7, 1L, true),
                new UsageEvent("f", 1, "evt-old", Instant.parse("1969-12-31T23:59:59.999999Z"), UsageKind.STORAGE_SNAPSHOT,
                        "acct", "proj", null, null, null, null, null, null, "byok", 0, 0, null, null, true, 50_000_000_000L));
        StagedBatch.Writer writer = new StagedBatch.Writer();
        for (int i = 0; i < in.size(); i++) {
            writer.add(in.get(i), 1000L + i);
        }
        assertThat(writer.rows()).isEqualTo(in.size());
        byte[] bytes = writer.finish();
        List<StagedBatch.Row> out = new ArrayList<>();
        StagedBatch.read(bytes, out::add);
        assertThat(out).extracting(StagedBatch.Row::event).containsExactlyElementsOf(in);
        assertThat(out).extracting(StagedBatch.Row::rowKey).containsExactly(1000L, 1001L, 1002L, 1003L, 1004L);
        assertThat(writer.rows()).as("a finished writer starts a new batch").isZero();
    }

    @Test
    void aBatchOfRealisticRowsIsCompact() {
        StagedBatch.Writer writer = new StagedBatch.Writer();
        for (int i = 0; i < 1000; i++) {
            writer.add(new UsageEvent("date=2026-03-02/part-000.parquet", i + 1, "evt-20260302-" + (100_000 + i),
                    Instant.parse("2026-03-02T00:00:00Z").plusSeconds(i * 37L), UsageKind.TOOL_CALL, "a" + (i % 50),
                    "proj-a" + (i % 50) + "-1", "t" + (i % 20), null, null, null, null, null, null, 0, 0, null,
                    100L + i, true, 1), i);
        }
        assertThat(writer.finish().length / 1000).as("bytes a row").isLessThan(40);
    }

    @Test
    void batchesAfterTheFirstStartTheirDictionariesAfresh() {
        StagedBatch.Writer writer = new StagedBatch.Writer();
        List<UsageEvent> first = new ArrayList<>();
        List<UsageEvent> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UsageEvent e = event("evt-" + i, "conv-" + (i % 7), "user-" + (i % 111), i, (long) i, i % 3 == 0);
            (i < 150 ? first : second).add(e);
        }
        first.forEach(e -> writer.add(e, 1));
        byte[] a = writer.finish();
        second.forEach(e -> writer.add(e, 2));
        byte[] b = writer.finish();
        List<UsageEvent> out = new ArrayList<>();
        StagedBatch.read(a, row -> out.add(row.event()));
        StagedBatch.read(b, row -> out.add(row.event()));
        assertThat(out).containsExactlyElementsOf(java.util.stream.Stream.concat(first.stream(), second.stream()).toList());
    }

    @Test
    void dictionaryColumnsReadBackAsTheInstancesTheDictionaryTextGives() {
        String account = new String("acct_ümlaut");
        StagedBatch.Writer writer = new StagedBatch.Writer();
        writer.add(event("evt-1", "conv-a", "user-1", null, null, true), 1);
        writer.add(event("evt-2", "conv-a", "user-1", null, null, true), 2);

        List<UsageEvent> out = new ArrayList<>();
        StagedBatch.rows(writer.finish(), text -> text.equals(account) ? account : text)
                .forEachRemaining(row -> out.add(row.event()));

        assertThat(out).extracting(UsageEvent::accountId).allSatisfy(id -> assertThat(id).isSameAs(account));
        assertThat(out).extracting(UsageEvent::eventId).containsExactly("evt-1", "evt-2");
    }
}
