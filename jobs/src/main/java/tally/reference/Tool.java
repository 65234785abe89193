package tally.reference;

/** tools.csv: a paid marketplace tool, its creator and its price per call. */
public record Tool(String toolId, String creatorAccountId, String name, long priceCents) {
}
