package tally.usage;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

/** Rejected rows of one arrival day, with their reason (RULES.md, Bad input). */
public final class RejectStore {

    private RejectStore() {
    }

    public static void insert(JdbcTemplate jdbc, LocalDate arrivalDay, List<RowOutcome.Rejected> rejects) {
        Date arrival = Date.valueOf(arrivalDay);
        jdbc.batchUpdate("""
                insert into rejected_event (arrival_date, source_file, source_row, event_id, reason, detail)
                values (?, ?, ?, ?, ?, ?)""", rejects.stream()
                .map(r -> new Object[] {arrival, r.sourceFile(), r.sourceRow(), r.eventId(), r.reason(), r.detail()})
                .toList());
    }
}
