package tally;

import tally.cli.TallyCommand;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;

/** Entry point of {@code ./tally}. Every date and time in Tally is UTC. */
public final class TallyApplication {

    private TallyApplication() {
    }

    public static void main(String[] args) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(TallyCommand.execute(out, err, args));
    }
}
