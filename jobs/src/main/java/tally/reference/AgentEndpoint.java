package tally.reference;

/** agent_endpoints.csv: an agent endpoint, its owner and its per-run price. */
public record AgentEndpoint(String endpointId, String accountId, String name, long pricePerRunCents, String authMode) {
}
