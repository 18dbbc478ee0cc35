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
 * Semantic versioning is enforced: core-api's build baselines every exported package against the released
 * API kept in {@code baseline/}. A copy of core-api is built offline (same local repository) twice: as it
 * is (the check passes), then with a method added to a consumer interface without a version bump (bnd's
 * baseline fails the build and names the package).
 */
class ApiBaselineIT {

    private static final Path REPO = Aetherflow.REPO;

    @TempDir
    Path tmp;

    @Test
    void anIncompatibleChangeWithoutAVersionBumpFailsTheBuild() throws Exception {
        Path copy = tmp.resolve("src");
        Files.createDirectories(copy);
        Files.copy(REPO.resolve("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(REPO.resolve("bnd.bnd"), copy.resolve("bnd.bnd"));
        copyTree(REPO.resolve("baseline"), copy.resolve("baseline"));
        Files.createDirectories(copy.resolve("core-api"));
        Files.copy(REPO.resolve("core-api/pom.xml"), copy.resolve("core-api/pom.xml"));
        Files.copy(REPO.resolve("core-api/bnd.bnd"), copy.resolve("core-api/bnd.bnd"));
        copyTree(REPO.resolve("core-api/src/main"), copy.resolve("core-api/src/main"));

        Result unchanged = mvn(copy.resolve("core-api"));
        assertEquals(0, unchanged.exit(), unchanged::toString);
        assertTrue(unchanged.stdout().contains("Baseline check succeeded"), unchanged::toString);

        Path spi = copy.resolve("core-api/src/main/java/io/aetherflow/api/secrets/SecretsProvider.java");
        String source = Files.readString(spi);
        String header = "public interface SecretsProvider {";
        assertTrue(source.contains(header), "SecretsProvider.java changed shape: " + spi);
        Files.writeString(spi, source.replace(header,
                header + "\n    /** Added without a package version bump. */\n    String addedWithoutVersionBump();\n"));

        Result changed = mvn(copy.resolve("core-api"));
        assertNotEquals(0, changed.exit(), changed::toString);
        String out = changed.stdout();
        assertTrue(out.contains("Baseline problems detected"), out);
        assertTrue(Pattern.compile("\\* io\\.aetherflow\\.api\\.secrets +PACKAGE +MAJOR +1\\.0\\.0 +1\\.0\\.0 +2\\.0\\.0")
                .matcher(out).find(), out);
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
