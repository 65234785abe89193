package tally.reference;

/** bots.csv: a bot, its owner, default billing mode and spending caps in cents (null = no cap). */
public record Bot(String botId, String accountId, String name, String platform, String billingMode,
                  Long spendingCapCents, Long conversationCapCents, Long dailyCapCents, Long monthlyCapCents) {

    public boolean hasCaps() {
        return spendingCapCents != null || conversationCapCents != null || dailyCapCents != null || monthlyCapCents != null;
    }
}
