package tally.plans;

/**
 * One account's usage in one calendar month (UTC), summed over its projects: successful counter
 * events' quantities, platform-key tokens, and the storage peak (docs/month-close.md).
 */
public record MonthlyUsage(long apiRequests, long aiTokens, long gatewayRequests, long mcpProxyCalls,
                           long logicEngineCalls, long storagePeakBytes) {

    public static final MonthlyUsage NONE = new MonthlyUsage(0, 0, 0, 0, 0, 0);

    public long of(Counter counter) {
        return switch (counter) {
            case API_REQUESTS, API_CALLS -> apiRequests;
            case AI_TOKENS -> aiTokens;
            case GATEWAY_REQUESTS -> gatewayRequests;
            case MCP_PROXY_CALLS -> mcpProxyCalls;
            case LOGIC_ENGINE_CALLS -> logicEngineCalls;
            case STORAGE_BYTES -> storagePeakBytes;
        };
    }
}
