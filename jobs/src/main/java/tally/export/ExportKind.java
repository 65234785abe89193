package tally.export;

import java.util.List;

/**
 * What {@code tally export} can write. Invoices are not here yet: month close (which creates the
 * invoice table) is built separately; see docs/analytics.md.
 */
public enum ExportKind {
    analytics(ExportDataset.ANALYTICS),
    ledger(List.of(ExportDataset.LEDGER)),
    rated(List.of(ExportDataset.RATED));

    private final List<ExportDataset> datasets;

    ExportKind(List<ExportDataset> datasets) {
        this.datasets = datasets;
    }

    public List<ExportDataset> datasets() {
        return datasets;
    }
}
