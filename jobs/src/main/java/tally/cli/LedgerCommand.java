package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import tally.ledger.LedgerChecks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "ledger", description = "Ledger checks.", mixinStandardHelpOptions = true,
        subcommands = LedgerCommand.Verify.class)
class LedgerCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every ledger invariant and print a canonical hash of the ledger content; exit 1 if one fails.")
    static class Verify extends DbCommand {
        @Override
        int execute(ConfigurableApplicationContext context) {
            LedgerChecks checks = context.getBean(LedgerChecks.class);
            Map<String, List<String>> violations = checks.violations();
            violations.putAll(checks.carriedRoundingViolations());
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> invariants = new LinkedHashMap<>();
            violations.forEach((name, ids) -> invariants.put(name, ids.isEmpty() ? "ok" : ids));
            boolean ok = LedgerChecks.allHold(violations);
            out.put("ok", ok);
            out.put("invariants", invariants);
            out.put("hash", checks.canonicalHash());
            printJson(out);
            return ok ? 0 : 1;
        }
    }
}
