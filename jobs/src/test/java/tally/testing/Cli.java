package tally.testing;

import tools.jackson.databind.JsonNode;
import tally.cli.Json;
import tally.cli.TallyCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;

/**
 * Runs {@code ./tally} commands in-process against one test database, the way a user would:
 * arguments in, exit code, stdout and stderr out.
 */
public final class Cli {

    /** The repository root (tests run in jobs/). */
    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    public static final Path SAMPLE = REPO.resolve("sample-data");
    public static final Path RULES = REPO.resolve("rating-rules");

    static {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    private final String dbUrl;
    private final Path home;
    private Path rules = RULES;

    /** A CLI on a fresh database, with run outputs under {@code home}. */
    public Cli(Path home) {
        this(TestDatabase.freshDatabaseUrl(), home);
    }

    public Cli(String dbUrl, Path home) {
        this.dbUrl = dbUrl;
        this.home = home;
    }

    public Cli withRules(Path rulesDir) {
        this.rules = rulesDir;
        return this;
    }

    public String dbUrl() {
        return dbUrl;
    }

    public Path home() {
        return home;
    }

    public record Result(int exitCode, String out, String err) {
        public JsonNode json() {
            return Json.mapper().readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** Runs one command; {@code --db}, {@code --home} and {@code --rules} are added for database commands. */
    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!List.of("generate", "--help", "help").contains(args[0])) {
            all.addAll(List.of("--db", dbUrl, "--home", home.toString(), "--rules", rules.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TallyCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a command that must succeed and returns its JSON. */
    public JsonNode ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("expected exit 0 from " + String.join(" ", args) + "\n" + result);
        }
        return result.json();
    }

    /** Imports the sample reference data. */
    public JsonNode importSample() {
        return ok("import", "reference", "--dir", SAMPLE.resolve("reference").toString());
    }

    public JsonNode nightly(String date, Path input) {
        return ok("nightly", "--date", date, "--input", input.toString());
    }
}
