package tally.plans;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The monthly usage counters a plan limits (CONTRACT.md, usage response), in the order they are
 * reported. {@code api_requests} (Aerostack) and {@code api_calls} (AgentStack) both count
 * {@code api_request} events; each catalog names its own.
 */
public enum Counter {
    API_REQUESTS("aerostack", "API requests", "requests"),
    AI_TOKENS("aerostack", "AI tokens", "tokens"),
    GATEWAY_REQUESTS("aerostack", "Gateway requests", "requests"),
    MCP_PROXY_CALLS("aerostack", "MCP proxy calls", "calls"),
    API_CALLS("agentstack", "API calls", "calls"),
    LOGIC_ENGINE_CALLS("agentstack", "Logic Engine calls", "calls"),
    STORAGE_BYTES(null, "Storage", "bytes");

    private final String catalog;
    private final String label;
    private final String unit;

    Counter(String catalog, String label, String unit) {
        this.catalog = catalog;
        this.label = label;
        this.unit = unit;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The counters of one catalog, in report order (storage, on both catalogs, last). */
    public static List<Counter> of(String catalog) {
        return Arrays.stream(values()).filter(c -> c.catalog == null || c.catalog.equals(catalog)).toList();
    }

    /** The counter with this code, or null. */
    public static Counter ofCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code().equals(code)).findFirst().orElse(null);
    }
}
