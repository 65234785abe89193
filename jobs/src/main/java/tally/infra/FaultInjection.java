package tally.infra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A crash hook for the crash-safety tests: with {@code -Dtally.fault.halt=POINT:K} the JVM halts
 * (as a kill -9 would, no shutdown hooks) the K-th time execution reaches {@code POINT}. Off unless
 * that property is set; production never sets it.
 *
 * <p>Points: {@code read-row} (an input row read, mid-file), {@code ledger-write} (a ledger
 * transaction inserted, its database transaction not yet committed) and {@code step-end} (a step's
 * work committed, Spring Batch not yet told).
 */
public final class FaultInjection {

    public static final String PROPERTY = "tally.fault.halt";
    public static final int HALT_STATUS = 137;

    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    /** Read once: with the hook off, a checkpoint costs one comparison (it sits on the per-row path). */
    private static final String SPEC = System.getProperty(PROPERTY);

    private FaultInjection() {
    }

    public static void checkpoint(String point) {
        if (SPEC == null || !SPEC.startsWith(point + ":")) {
            return;
        }
        int target = Integer.parseInt(SPEC.substring(point.length() + 1));
        if (COUNTS.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() == target) {
            System.err.println("tally: fault injection: halting at " + SPEC);
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
