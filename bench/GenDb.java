import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Writes the db benchmarks' SQLite file: table {@code facts} with ROWS rows x 10 columns (integers,
 * reals, short texts, a date text), deterministic. Run as a single-file program with sqlite-jdbc:
 *
 * <pre>java -cp sqlite-jdbc.jar bench/GenDb.java OUT.sqlite ROWS</pre>
 */
public final class GenDb {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("CREATE TABLE facts (id INTEGER, customer INTEGER, amount REAL, region TEXT, product TEXT,"
                        + " qty INTEGER, discount REAL, channel TEXT, day TEXT, note TEXT)");
            }
            c.setAutoCommit(false);
            String[] regions = {"north", "south", "east", "west"};
            String[] channels = {"web", "shop", "phone"};
            try (PreparedStatement p = c.prepareStatement("INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                for (long i = 1; i <= rows; i++) {
                    p.setLong(1, i);
                    p.setLong(2, i % 9973);
                    p.setDouble(3, (i % 100000) / 100.0);
                    p.setString(4, regions[(int) (i % 4)]);
                    p.setString(5, "product-" + (i % 500));
                    p.setLong(6, i % 17);
                    p.setDouble(7, (i % 7) / 20.0);
                    p.setString(8, channels[(int) (i % 3)]);
                    p.setString(9, String.format("2024-%02d-%02d", 1 + i % 12, 1 + i % 28));
                    p.setString(10, i % 10 == 0 ? "note, with \"quotes\"" : null);
                    p.addBatch();
                    if (i % 10000 == 0) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote " + out + " (" + rows + " rows)");
    }
}
