package tally.testing;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The committed sample (sample-data/): its accounts, creators and usage days, and running all of it. */
public final class Sample {

    public static final Path REFERENCE = Cli.SAMPLE.resolve("reference");
    public static final Path USAGE = Cli.SAMPLE.resolve("usage");
    public static final Path EXPECTED = Cli.SAMPLE.resolve("expected");

    private Sample() {
    }

    /** Every account of accounts.csv, in file order. */
    public static List<String> accounts() {
        return column(REFERENCE.resolve("accounts.csv"), "account_id");
    }

    /** Every creator of creators.csv, in file order. */
    public static List<String> creators() {
        return column(REFERENCE.resolve("creators.csv"), "account_id");
    }

    /** The arrival days of sample-data/usage (date=YYYY-MM-DD folders), oldest first. */
    public static List<String> days() {
        try (Stream<Path> dirs = Files.list(USAGE)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("date="))
                    .map(n -> n.substring("date=".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a user does with the sample: import the reference data, then nightly for every day in order. */
    public static Map<String, JsonNode> runAll(Cli cli) {
        cli.importSample();
        Map<String, JsonNode> summaries = new LinkedHashMap<>();
        for (String day : days()) {
            summaries.put(day, cli.nightly(day, USAGE));
        }
        return summaries;
    }

    static List<String> column(Path csv, String name) {
        try (Reader reader = Files.newBufferedReader(csv);
             CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.stream().map((CSVRecord r) -> r.get(name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
