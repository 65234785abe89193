package tally.sample;

import org.junit.jupiter.api.Test;
import tally.testing.Cli;
import tally.usage.RawRow;
import tally.usage.UsageFileReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed quota-burst sample file is exactly what {@link QuotaBurst} generates. */
class QuotaBurstTest {

    @Test
    void committedFileEqualsTheGenerator() throws IOException {
        if (Boolean.getBoolean("tally.regenerate")) {
            QuotaBurst.write(Cli.REPO);
        }
        Path file = Cli.REPO.resolve(QuotaBurst.FILE);
        List<String> committed = new ArrayList<>();
        try (UsageFileReader reader = new UsageFileReader(file, file.getFileName().toString())) {
            reader.forEachRemaining(row -> committed.add(describe(row)));
        }
        List<String> generated = QuotaBurst.rows().stream().map(r -> String.join("|", r.eventId(),
                String.valueOf(r.occurredAt().toEpochMilli() * 1000), r.kind(), r.accountId(), r.projectId(),
                r.resourceId(), String.valueOf(r.tokensInput()), String.valueOf(r.tokensOutput()),
                String.valueOf(r.quantity()))).toList();
        assertThat(committed).containsExactlyElementsOf(generated);
    }

    private static String describe(RawRow row) {
        return String.join("|", row.eventId(), String.valueOf(row.occurredAtMicros()), row.kind(), row.accountId(),
                row.projectId(), row.resourceId(), String.valueOf(row.tokensInput()), String.valueOf(row.tokensOutput()),
                String.valueOf(row.quantity()));
    }
}
