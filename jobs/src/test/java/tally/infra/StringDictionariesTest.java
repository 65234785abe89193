package tally.infra;

import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StringDictionariesTest {

    static StringDictionaries.TolerantBinaryDictionary dictionary() {
        return new StringDictionaries.TolerantBinaryDictionary(1 << 20, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY,
                new HeapByteBufferAllocator());
    }

    @Test
    void theSameBinaryAgainIsTheSameEntry() {
        StringDictionaries.TolerantBinaryDictionary dictionary = dictionary();
        Binary a = Binary.fromString("a");
        dictionary.writeBytes(a);
        dictionary.writeBytes(a);
        dictionary.writeBytes(Binary.fromString("b"));
        dictionary.writeBytes(Binary.fromString("a"));
        assertThat(dictionary.getDictionarySize()).isEqualTo(2);
        assertThat(dictionary.getEncoding()).isEqualTo(Encoding.PLAIN_DICTIONARY);
    }

    @Test
    void freshInstancesOfOneValueShareItsEntryWhateverTheirNumber() {
        StringDictionaries.TolerantBinaryDictionary dictionary = dictionary();
        for (int row = 0; row < 20_000; row++) {
            dictionary.writeBytes(Binary.fromConstantByteArray((row % 2 == 0 ? "even" : "odd").getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(dictionary.getDictionarySize()).isEqualTo(2);
    }

    @Test
    void aBinaryOverAReusedArrayIsLookedUpEachTime() {
        StringDictionaries.TolerantBinaryDictionary dictionary = dictionary();
        byte[] bytes = "a".getBytes(StandardCharsets.UTF_8);
        Binary reused = Binary.fromReusedByteArray(bytes);
        dictionary.writeBytes(reused);
        bytes[0] = 'b';
        dictionary.writeBytes(reused);
        assertThat(dictionary.getDictionarySize()).isEqualTo(2);
    }

    @Test
    void aPageWithoutValuesIsPlainAndEmptyAndDoesNotCondemnTheDictionary() {
        StringDictionaries.TolerantBinaryDictionary dictionary = dictionary();
        assertThat(dictionary.getBytes().size()).isZero();
        assertThat(dictionary.getEncoding()).isEqualTo(Encoding.PLAIN);
        assertThat(dictionary.isCompressionSatisfying(0, 0)).isTrue();
        assertThat(dictionary.isCompressionSatisfying(100, 100)).isFalse(); // a page of values is judged as Parquet does
    }
}
