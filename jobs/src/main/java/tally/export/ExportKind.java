package tally.export;

import java.util.List;

/** What {@code tally export} can write. */
public enum ExportKind {
    analytics(ExportDataset.ANALYTICS),
    ledger(List.of(ExportDataset.LEDGER)),
    rated(List.of(ExportDataset.RATED)),
    invoices(List.of(ExportDataset.INVOICES));

    private final List<ExportDataset> datasets;

    ExportKind(List<ExportDataset> datasets) {
        this.datasets = datasets;
    }

    public List<ExportDataset> datasets() {
        return datasets;
    }
}
