package tally.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StringCodesTest {

    @Test
    void valuesAreNumberedInOrderOfFirstAppearanceByEqualityAcrossGrowthAndClear() {
        StringCodes codes = new StringCodes();
        for (int i = 0; i < 1000; i++) {
            assertThat(codes.codeOf("user-" + i)).as("user-%d before it appears", i).isEqualTo(-1);
            assertThat(codes.codeOrAdd("user-" + i)).as("first appearance of user-%d", i).isEqualTo(-1);
            assertThat(codes.codeOrAdd(new String("user-" + (i / 2)))).as("an equal value, another instance")
                    .isEqualTo(i / 2);
        }
        assertThat(codes.size()).isEqualTo(1000);
        for (int i = 999; i >= 0; i--) {
            assertThat(codes.codeOf("user-" + i)).isEqualTo(i);
        }
        assertThat(codes.codeOf("user-1000")).as("a value never added").isEqualTo(-1);
        assertThat(codes.size()).as("looking up adds nothing").isEqualTo(1000);
        codes.clear();
        assertThat(codes.size()).isZero();
        assertThat(codes.codeOf("user-7")).as("a cleared column knows no value").isEqualTo(-1);
        assertThat(codes.codeOrAdd("user-7")).isEqualTo(-1);
        assertThat(codes.codeOrAdd("user-7")).isZero();
    }

    @Test
    void valuesWithEqualHashesKeepTheirOwnCodes() {
        StringCodes codes = new StringCodes();
        // "Aa" and "BB" have the same String.hashCode, and so do their concatenations.
        String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (String value : colliding) {
            codes.codeOrAdd(value);
        }
        for (int i = 0; i < colliding.length; i++) {
            assertThat(codes.codeOf(new String(colliding[i]))).isEqualTo(i);
        }
    }
}
