package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the examples: every directory under {@code examples/} is run by a black-box test that
 * declares it ({@link RunsExamples}) and names its path, and is listed in {@code examples/README.md}.
 */
class ExamplesCoverageIT {

    private static final String PACKAGE = ExamplesCoverageIT.class.getPackageName();

    static TreeSet<String> exampleDirs() throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(Aetherflow.REPO.resolve("examples"))) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    /** Example name to the test classes of this package that declare they run it. */
    static Map<String, List<Class<?>>> declared() throws Exception {
        Path classes = testClassesDir();
        Map<String, List<Class<?>>> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(classes)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith("IT.class")).toList()) {
                String simple = p.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(PACKAGE + "." + simple);
                RunsExamples r = c.getAnnotation(RunsExamples.class);
                if (r != null) {
                    for (String name : r.value()) {
                        out.computeIfAbsent(name, k -> new ArrayList<>()).add(c);
                    }
                }
            }
        }
        return out;
    }

    private static Path testClassesDir() throws URISyntaxException {
        return Path.of(ExamplesCoverageIT.class.getResource("ExamplesCoverageIT.class").toURI()).getParent();
    }

    private static String sourceOf(Class<?> c) throws Exception {
        return Files.readString(Aetherflow.REPO.resolve("dist-tests/src/test/java/" + PACKAGE.replace('.', '/') + "/"
                + c.getSimpleName() + ".java"));
    }

    @Test
    void everyExampleDirectoryIsRunByABlackBoxTest() throws Exception {
        TreeSet<String> dirs = exampleDirs();
        assertFalse(dirs.isEmpty(), "no examples under " + Aetherflow.REPO.resolve("examples"));
        Map<String, List<Class<?>>> declared = declared();
        List<String> missing = new ArrayList<>();
        for (String name : dirs) {
            List<Class<?>> tests = declared.getOrDefault(name, List.of());
            boolean runs = false;
            for (Class<?> c : tests) {
                runs |= sourceOf(c).contains("examples/" + name + "/");
            }
            if (!runs) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "examples without a black-box test that declares @RunsExamples(\"<name>\")"
                + " and runs examples/<name>/...; declared: " + declared.keySet());
        // and no test claims an example that is gone
        assertTrue(dirs.containsAll(declared.keySet()), "declared " + declared.keySet() + ", present " + dirs);
    }

    @Test
    void examplesReadmeListsEveryExample() throws Exception {
        String readme = Files.readString(Aetherflow.REPO.resolve("examples/README.md"));
        List<String> missing = new ArrayList<>();
        for (String name : exampleDirs()) {
            if (!readme.contains("| [`" + name + "`](" + name + "/")) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "examples/README.md has no table row for these examples");
    }
}
