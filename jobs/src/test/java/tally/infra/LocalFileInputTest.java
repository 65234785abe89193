package tally.infra;

import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads at any position and of any size give the file's bytes, through the buffer or past it. */
class LocalFileInputTest {

    @TempDir
    Path tmp;

    @Test
    void seeksAndReadsOfEverySizeGiveTheFilesBytes() throws IOException {
        byte[] content = new byte[300_000];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) random.nextInt(256);
        }
        Path file = Files.write(tmp.resolve("f.bin"), content);
        LocalFileInput input = new LocalFileInput(file);
        assertThat(input.getLength()).isEqualTo(content.length);

        try (SeekableInputStream in = input.newStream()) {
            for (int i = 0; i < 2_000; i++) {
                int at = random.nextInt(content.length);
                int length = Math.min(content.length - at, switch (i % 4) {
                    case 0 -> 1;
                    case 1 -> random.nextInt(100);
                    case 2 -> random.nextInt(70_000);
                    default -> 65_536 + random.nextInt(100_000);
                });
                in.seek(at);
                if (i % 4 == 0) {
                    assertThat(in.read()).isEqualTo(content[at] & 0xff);
                } else if (i % 2 == 1) {
                    byte[] read = new byte[length];
                    in.readFully(read);
                    assertThat(read).isEqualTo(Arrays.copyOfRange(content, at, at + length));
                } else {
                    ByteBuffer read = i % 8 == 2 ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
                    in.readFully(read);
                    byte[] bytes = new byte[length];
                    read.flip().get(bytes);
                    assertThat(bytes).isEqualTo(Arrays.copyOfRange(content, at, at + length));
                }
                assertThat(in.getPos()).isEqualTo(at + (i % 4 == 0 ? 1 : length));
            }
            in.seek(content.length - 1);
            assertThat(in.read()).isEqualTo(content[content.length - 1] & 0xff);
            assertThat(in.read()).isEqualTo(-1);
            in.seek(content.length - 10);
            assertThatThrownBy(() -> in.readFully(new byte[11])).isInstanceOf(EOFException.class);
        }
    }
}
