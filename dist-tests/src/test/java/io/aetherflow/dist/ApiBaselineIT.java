package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic versioning is enforced: the builds of core-api and of the launcher (package
 * {@code io.aetherflow.launch}) baseline every exported package against the released jars kept in
 * {@code baseline/}. A copy of each module (with the sources its build copies in) is built offline (same
 * local repository) twice: as it is (the check passes), then with an incompatible change without a version
 * bump (bnd's baseline fails the build and names the package).
 */
class ApiBaselineIT {

    private static final Path REPO = Aetherflow.REPO;

    @TempDir
    Path tmp;

    @Test
    void anIncompatibleChangeWithoutAVersionBumpFailsTheBuild() throws Exception {
        Path module = copyModule("core-api");
        // a method added to a consumer interface (plugins implement it): a major change
        changeFailsTheBuild(module, "src/main/java/io/aetherflow/api/secrets/SecretsProvider.java",
                "public interface SecretsProvider {",
                "\n    /** Added without a package version bump. */\n    String addedWithoutVersionBump();\n",
                "\\* io\\.aetherflow\\.api\\.secrets +PACKAGE +MAJOR +1\\.0\\.0 +1\\.0\\.0 +2\\.0\\.0");
    }

    @Test
    void anIncompatibleChangeToTheLaunchPackageFailsTheLauncherBuild() throws Exception {
        // the launcher compiles a build-time copy of core-api's Json, PyRepr and FileTrees (launcher/pom.xml):
        // those sources are its build input too, core-api itself (module or artifact) is not
        Path module = copyModule("launcher", "core-api/src/main/java/io/aetherflow/api/support");
        // the engine implements Application: a method more is a major change of io.aetherflow.launch
        changeFailsTheBuild(module, "src/main/java/io/aetherflow/launch/Application.java",
                "public interface Application {",
                "\n    /** Added without a package version bump. */\n    void addedWithoutVersionBump();\n",
                "\\* io\\.aetherflow\\.launch +PACKAGE +MAJOR +2\\.\\d+\\.\\d+ +2\\.0\\.0 +3\\.0\\.0");
    }

    /**
     * Copies the root pom, the shared bnd.bnd, {@code baseline/}, one module's pom, bnd.bnd and sources,
     * and the other source trees its build reads ({@code inputs}, relative to the repository).
     */
    private Path copyModule(String name, String... inputs) throws IOException {
        Path copy = tmp.resolve("src");
        Files.createDirectories(copy);
        Files.copy(REPO.resolve("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(REPO.resolve("bnd.bnd"), copy.resolve("bnd.bnd"));
        copyTree(REPO.resolve("baseline"), copy.resolve("baseline"));
        Path module = Files.createDirectories(copy.resolve(name));
        Files.copy(REPO.resolve(name + "/pom.xml"), module.resolve("pom.xml"));
        Files.copy(REPO.resolve(name + "/bnd.bnd"), module.resolve("bnd.bnd"));
        copyTree(REPO.resolve(name + "/src/main"), module.resolve("src/main"));
        for (String input : inputs) {
            copyTree(REPO.resolve(input), copy.resolve(input));
        }
        return module;
    }

    /**
     * Builds the module as it is (the baseline check passes), then with {@code added} inserted after
     * {@code anchor} in {@code file}: the build fails and bnd's report has a row matching {@code row}.
     */
    private void changeFailsTheBuild(Path module, String file, String anchor, String added, String row) throws Exception {
        Result unchanged = mvn(module);
        assertEquals(0, unchanged.exit(), unchanged::toString);
        assertTrue(unchanged.stdout().contains("Baseline check succeeded"), unchanged::toString);

        Path source = module.resolve(file);
        String text = Files.readString(source);
        assertTrue(text.contains(anchor), "changed shape: " + source);
        Files.writeString(source, text.replace(anchor, anchor + added));

        Result changed = mvn(module);
        assertNotEquals(0, changed.exit(), changed::toString);
        String out = changed.stdout();
        assertTrue(out.contains("Baseline problems detected"), out);
        assertTrue(Pattern.compile(row).matcher(out).find(), out);
        assertTrue(out.contains("BUILD FAILURE"), out);
    }

    private Result mvn(Path module) throws Exception {
        String mavenHome = System.getProperty("maven.home", "");
        Path mvn = mavenHome.isEmpty() ? Paths.get("mvn") : Paths.get(mavenHome, "bin", "mvn");
        List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-B", "-o", "-f", module.resolve("pom.xml").toString(),
                "verify", "-DskipTests"));
        String localRepo = System.getProperty("maven.repo.local", "");
        if (!localRepo.isEmpty()) {
            cmd.add("-Dmaven.repo.local=" + localRepo);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(module.toFile()).redirectErrorStream(true);
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        p.getOutputStream().close();
        return Aetherflow.finish(p, 240);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
