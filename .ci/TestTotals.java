import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Adds up JUnit XML reports below a directory: target/surefire-reports/TEST-*.xml,
 * target/failsafe-reports/TEST-*.xml and target/test-reports/**&#47;TEST-*.xml (bnd-testing) of every
 * module. Prints "passed failed skipped" (failed = failures + errors). Run as
 * {@code java .ci/TestTotals.java REPO}.
 *
 * <p>A test class that reports no test at all (JUnit aborted it in {@code @BeforeAll}, for example an
 * assumption about an installed server) would make its tests vanish from the totals instead of being
 * counted as skipped; each such class is named on stderr and the exit status is 3, so the closing line
 * never hides them.
 */
public class TestTotals {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        long tests = 0;
        long failed = 0;
        long skipped = 0;
        List<String> empty = new java.util.ArrayList<>();
        List<Path> reports;
        try (Stream<Path> s = Files.walk(root)) {
            reports = s.filter(TestTotals::isReport).sorted().toList();
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (Path p : reports) {
            Element top = f.newDocumentBuilder().parse(p.toFile()).getDocumentElement();
            List<Element> suites = top.getTagName().equals("testsuites") ? children(top) : List.of(top);
            for (Element suite : suites) {
                if (count(suite, "tests") == 0) {
                    empty.add(suite.getAttribute("name") + " (" + root.relativize(p) + ")");
                }
                tests += count(suite, "tests");
                failed += count(suite, "failures") + count(suite, "errors");
                skipped += count(suite, "skipped");
            }
        }
        System.out.println((tests - failed - skipped) + " " + failed + " " + skipped);
        for (String e : empty) {
            System.err.println(".ci/run: test class " + e + " reported no test: check per test (assumption in"
                    + " @BeforeEach or the test itself), not in @BeforeAll, so skipped tests are counted as skipped");
        }
        if (!empty.isEmpty()) {
            System.exit(3);
        }
    }

    private static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith("TEST-") || !name.endsWith(".xml") || !Files.isRegularFile(p)) {
            return false;
        }
        String path = p.toString().replace('\\', '/');
        if (path.contains("/.git/")) {
            return false;
        }
        String parent = p.getParent().getFileName().toString();
        boolean plugin = (parent.equals("surefire-reports") || parent.equals("failsafe-reports"))
                && p.getParent().getParent().getFileName().toString().equals("target");
        return plugin || path.contains("/target/test-reports/");
    }

    private static List<Element> children(Element e) {
        NodeList nl = e.getElementsByTagName("testsuite");
        java.util.ArrayList<Element> out = new java.util.ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            out.add((Element) nl.item(i));
        }
        return out;
    }

    private static long count(Element suite, String attr) {
        String v = suite.getAttribute(attr);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(v.trim());
        }
    }
}
