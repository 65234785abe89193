package tally.infra;

import java.util.Comparator;

/**
 * Strings in the order of their code points, which is the byte order of their UTF-8 and
 * PostgreSQL's collation "C": ids sort the same in Java as in SQL, on every server.
 * ({@link String#compareTo} compares UTF-16 units, which differ for characters beyond U+FFFF.)
 */
public final class CodePointOrder {

    public static final Comparator<String> ORDER = CodePointOrder::compare;

    private CodePointOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
