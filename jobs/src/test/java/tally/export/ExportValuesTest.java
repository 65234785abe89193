package tally.export;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportValuesTest {

    static final Schema EXACT = new Schema.Parser().parse("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 24, \"scale\": 6}");
    static final Schema CENTS = new Schema.Parser().parse("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 18, \"scale\": 0}");
    static final Schema DATE = new Schema.Parser().parse("{\"type\": \"int\", \"logicalType\": \"date\"}");
    static final Schema MICROS = new Schema.Parser().parse("{\"type\": \"long\", \"logicalType\": \"timestamp-micros\"}");
    static final Schema NULLABLE_LONG = new Schema.Parser().parse("[\"null\", \"long\"]");

    @Test
    void integersFeedingDecimalsAreUnscaledValues() {
        assertThat(ExportValues.fromDatabase(EXACT, 2_550_000L)).isEqualTo(new BigDecimal("2.550000"));
        assertThat(ExportValues.fromDatabase(CENTS, 205L)).isEqualTo(new BigDecimal("205"));
        assertThat(ExportValues.toCsv(ExportValues.fromDatabase(EXACT, 1L))).isEqualTo("0.000001");
        assertThat(ExportValues.toAvro(CENTS, new BigDecimal("-205"))).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x33}));
    }

    @Test
    void decimalsAreNeverRounded() {
        assertThatThrownBy(() -> ExportValues.fromDatabase(CENTS, new BigDecimal("1.5"))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void datesTimesAndNulls() {
        LocalDate day = LocalDate.parse("2026-03-02");
        Instant at = Instant.parse("2026-03-02T10:15:30.123456Z");
        assertThat(ExportValues.toAvro(DATE, ExportValues.fromDatabase(DATE, Date.valueOf(day)))).isEqualTo((int) day.toEpochDay());
        assertThat(ExportValues.toAvro(MICROS, ExportValues.fromDatabase(MICROS, Timestamp.from(at))))
                .isEqualTo(at.getEpochSecond() * 1_000_000 + 123_456);
        assertThat(ExportValues.toCsv(at)).isEqualTo("2026-03-02T10:15:30.123456Z");
        assertThat(ExportValues.fromDatabase(NULLABLE_LONG, null)).isNull();
        assertThat(ExportValues.toCsv(null)).isEmpty();
        assertThatThrownBy(() -> ExportValues.fromDatabase(CENTS, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
