package tally.testing;

import org.assertj.core.api.SoftAssertions;
import tally.cli.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: each output is compared line by line with its committed copy, and all differences
 * are reported together; the actual outputs are kept under {@code target/golden-actual/} for diffing.
 * Run with {@code -Dgolden.update=true} to (re)write the copies instead, then review the diff before
 * committing it.
 */
public final class Golden {

    public static final String UPDATE_PROPERTY = "golden.update";

    private static final Path ACTUAL = Path.of("target", "golden-actual");

    private final Path dir;
    private final boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
    private final SoftAssertions differences = new SoftAssertions();

    public Golden(Path dir) {
        this.dir = dir;
    }

    /** Compares {@code value} as pretty JSON with {@code dir/name}. */
    public void json(String name, Object value) {
        text(name, Json.pretty(value) + "\n");
    }

    public void text(String name, String actual) {
        Path file = dir.resolve(name);
        try {
            if (update) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            if (!Files.exists(file)) {
                differences.fail(file + " is missing; run the test with -D" + UPDATE_PROPERTY + "=true to write it");
                return;
            }
            Path actualFile = ACTUAL.resolve(name);
            Files.createDirectories(actualFile.getParent());
            Files.writeString(actualFile, actual);
            differences.assertThat(actualFile).as("%s (rewrite with -D%s=true if the change is right)", file, UPDATE_PROPERTY)
                    .hasSameTextualContentAs(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every difference found. */
    public void verify() {
        differences.assertAll();
    }
}
