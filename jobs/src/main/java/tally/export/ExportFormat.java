package tally.export;

/** The file formats of {@code tally export}. */
public enum ExportFormat {
    parquet, csv;

    public String extension() {
        return "." + name();
    }
}
