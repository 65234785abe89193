package tally.cli;

import picocli.CommandLine.Option;

/** Where the database is, shared by every command that needs one. */
public class DbOptions {

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL (jdbc:postgresql://host/db?user=...). Default: $TALLY_DB_URL, else an embedded PostgreSQL under --home.")
    String dbUrl;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:TALLY_HOME:-.tally}",
            description = "Where the embedded database and run outputs live (default: ${DEFAULT-VALUE}).")
    String home;

    @Option(names = "--rules", paramLabel = "DIR", defaultValue = "rating-rules",
            description = "Rating rules directory (default: ${DEFAULT-VALUE}).")
    String rules;

    String effectiveDbUrl() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return dbUrl;
        }
        String env = System.getenv("TALLY_DB_URL");
        return env == null ? "" : env;
    }
}
