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
 *
 * <p>An in-framework run (a module whose {@code pom.xml} uses bnd-testing-maven-plugin with a
 * {@code *.bndrun}) that leaves no report with a test in {@code target/test-reports} failed without
 * saying so (the test bundle did not resolve or start, and bnd's tester then runs nothing yet exits 0):
 * it is named on stderr and the exit status is 3 as well.
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
        List<String> silent = silentInFrameworkRuns(root, reports, f);
        System.out.println((tests - failed - skipped) + " " + failed + " " + skipped);
        for (String m : silent) {
            System.err.println(".ci/run: the in-framework tests of " + m + " left no report with a test: the test"
                    + " bundle did not resolve or start (check -runsystempackages and -runrequires in its bndrun"
                    + " against the mvn output above)");
        }
        for (String e : empty) {
            System.err.println(".ci/run: test class " + e + " reported no test: check per test (assumption in"
                    + " @BeforeEach or the test itself), not in @BeforeAll, so skipped tests are counted as skipped");
        }
        if (!empty.isEmpty() || !silent.isEmpty()) {
            System.exit(3);
        }
    }

    /** Modules running bnd-testing whose target/test-reports hold no report with at least one test. */
    private static List<String> silentInFrameworkRuns(Path root, List<Path> reports, DocumentBuilderFactory f)
            throws Exception {
        List<Path> modules;
        try (Stream<Path> s = Files.walk(root)) {
            modules = s.filter(p -> p.getFileName().toString().endsWith(".bndrun"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .map(Path::getParent).distinct().sorted().toList();
        }
        List<String> silent = new java.util.ArrayList<>();
        for (Path m : modules) {
            Path pom = m.resolve("pom.xml");
            Path dir = m.resolve("target/test-reports");
            if (!Files.isRegularFile(pom) || !Files.readString(pom).contains("bnd-testing-maven-plugin")
                    || !Files.isDirectory(dir)) {
                continue; // not an in-framework test module, or its tests did not run in this build
            }
            long tests = 0;
            for (Path p : reports) {
                if (p.startsWith(dir)) {
                    Element top = f.newDocumentBuilder().parse(p.toFile()).getDocumentElement();
                    List<Element> suites = top.getTagName().equals("testsuites") ? children(top) : List.of(top);
                    for (Element suite : suites) {
                        tests += count(suite, "tests");
                    }
                }
            }
            if (tests == 0) {
                silent.add(root.relativize(m).toString());
            }
        }
        return silent;
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
