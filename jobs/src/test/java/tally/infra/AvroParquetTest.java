package tally.infra;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroParquetTest {

    static final Schema DECIMAL = LogicalTypes.decimal(24, 6).addToSchema(Schema.create(Schema.Type.BYTES));

    static List<Long> values() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 127L, 128L, -128L, -129L, 255L, 256L, 32_767L, 32_768L,
                -32_768L, -32_769L, 1L << 31, -(1L << 31), (1L << 55) - 1, 1L << 55, -(1L << 55), -(1L << 55) - 1,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        return values;
    }

    @Test
    void decimalBytesAreWhatAvrosDecimalConversionWrites() {
        Conversions.DecimalConversion avro = new Conversions.DecimalConversion();
        for (long value : values()) {
            ByteBuffer expected = avro.toBytes(BigDecimal.valueOf(value, 6), DECIMAL, DECIMAL.getLogicalType());
            assertThat(ByteBuffer.wrap(AvroParquet.decimalBytes(value))).as("%d", value).isEqualTo(expected);
        }
        assertThat(AvroParquet.decimalBytes(0)).containsExactly(0);
        assertThat(AvroParquet.decimalBytes(128)).containsExactly(0, 0x80);
        assertThat(AvroParquet.decimalBytes(-1)).containsExactly(0xff);
        assertThat(AvroParquet.decimalBytes(Long.MAX_VALUE)).hasSize(8);
    }

    @Test
    void decimalUnscaledReadsThemBackExactly() {
        for (long value : values()) {
            assertThat(AvroParquet.decimalUnscaled(ByteBuffer.wrap(AvroParquet.decimalBytes(value)))).isEqualTo(value);
        }
    }

    @Test
    void decimalUnscaledTakesPaddedBytesAndRefusesWhatALongCannotHold() {
        ByteBuffer padded = ByteBuffer.wrap(new byte[] {9, (byte) 0xff, (byte) 0xff, (byte) 0xfe}, 1, 3); // -2 padded, at an offset
        assertThat(AvroParquet.decimalUnscaled(padded)).isEqualTo(-2);
        assertThat(padded.position()).isEqualTo(1);
        byte[] minusOneIn12 = new byte[12];
        java.util.Arrays.fill(minusOneIn12, (byte) 0xff);
        assertThat(AvroParquet.decimalUnscaled(ByteBuffer.wrap(minusOneIn12))).isEqualTo(-1);
        byte[] twoToThe64 = new byte[9];
        twoToThe64[0] = 1;
        assertThatThrownBy(() -> AvroParquet.decimalUnscaled(ByteBuffer.wrap(twoToThe64))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> AvroParquet.decimalUnscaled(ByteBuffer.allocate(0))).isInstanceOf(IllegalArgumentException.class);
    }
}
