package io.aetherflow.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.reliability.BadInputCli.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 reliability experiment "bad-input": a fuzz set of bad YAML (malformed, alias bomb, deep
 * nesting, huge, invalid UTF-8, NUL and control bytes), unsafe ids (traversal, absolute, empty,
 * control characters, very long) and bad arguments (control characters in --run-id and --flow-job,
 * traversal run ids) fed to {@code validate} and {@code run} of the assembled distribution, with the
 * workspace and state store inside a temp dir. Counted: stack traces printed, exit codes other than
 * the documented one, state files failing {@code PRAGMA integrity_check}, paths created or deleted
 * outside the workspace root (the temp dir's parent tree is snapshotted before and after), and raw
 * control characters echoed. All must be 0.
 */
class BadInputReliabilityIT {

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|Exception in thread|"
            + "^Caused by: ");

    @TempDir
    Path parent;

    private Path box;
    private Path root;
    private Path stateDir;

    /** One fuzz input: a flow file (or none) and the command lines to feed it to. */
    private record Case(String name, byte[] yaml, int exit, List<List<String>> commands, List<String> mustNotEcho) {
    }

    private String header(String flowId) {
        return "flow:\n  id: " + flowId + "\n  workspace:\n    root: \"" + root + "\"\n  state:\n    path: \""
                + stateDir.resolve("af.sqlite") + "\"\njobs:\n";
    }

    private static String step(String id) {
        return "      - id: " + id + "\n        type: check_items\n        inputs: {items: [1]}\n";
    }

    private String job(String jobId) {
        return header("f") + "  - id: " + jobId + "\n    steps:\n" + step("s");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private List<Case> cases() {
        List<List<String>> both = List.of(List.of("validate"), List.of("run"));
        List<Case> c = new ArrayList<>();
        // YAML that does not load
        c.add(new Case("malformed-indent", utf8("flow:\n  id: x\njobs:\n  - id: a\n   steps: []\n"), 2, both, List.of()));
        c.add(new Case("unclosed-flow", utf8("flow: {id: \"x\njobs: [\n"), 2, both, List.of()));
        c.add(new Case("duplicate-keys", utf8("flow: {id: a}\nflow: {id: b}\njobs: []\n"), 2, List.of(List.of("validate")),
                List.of()));
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char k = 'b'; k <= 'j'; k++) {
            bomb.append(k).append(": &").append(k).append(" [*").append((char) (k - 1)).append(", *")
                    .append((char) (k - 1)).append(", *").append((char) (k - 1)).append(", *").append((char) (k - 1))
                    .append(", *").append((char) (k - 1)).append(", *").append((char) (k - 1)).append("]\n");
        }
        c.add(new Case("alias-bomb", utf8(bomb + "flow: {id: f}\njobs: []\n"), 2, both, List.of()));
        c.add(new Case("deep-nesting", utf8("flow: {id: f}\njobs: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n"), 2,
                both, List.of()));
        c.add(new Case("huge-document", utf8("flow: {id: f}\njobs: []\nx: \"" + "y".repeat(9 * 1024 * 1024) + "\"\n"), 2,
                List.of(List.of("validate")), List.of()));
        c.add(new Case("invalid-utf8", concat(utf8(header("f") + "  - id: \"a"), new byte[] {(byte) 0xff, (byte) 0xfe},
                utf8("\"\n    steps: []\n")), 2, both, List.of()));
        c.add(new Case("truncated-utf8", concat(utf8("flow: {id: f}\njobs: []\n# "), new byte[] {(byte) 0xe2, (byte) 0x82}),
                2, List.of(List.of("validate")), List.of()));
        c.add(new Case("overlong-utf8", concat(utf8("flow: {id: f"), new byte[] {(byte) 0xc0, (byte) 0xaf},
                utf8("}\njobs: []\n")), 2, List.of(List.of("validate")), List.of()));
        c.add(new Case("nul-byte", utf8(header("f") + "  - id: \"a\0b\"\n    steps: []\n"), 2, both, List.of()));
        c.add(new Case("bell-and-escape-bytes", utf8(header("f") + "  - id: a\u0007\u001b[2J\n    steps: []\n"), 2,
                both, List.of("\u001b[2J")));
        c.add(new Case("not-a-mapping", utf8("- just\n- a list\n"), 2, both, List.of()));
        // unsafe ids
        c.add(new Case("job-id-up-three", utf8(job("\"../../..\"")), 2, List.of(List.of("validate"),
                List.of("run", "--run-id", "victim")), List.of()));
        c.add(new Case("job-id-escape", utf8(job("\"../../../../escape\"")), 2, both, List.of()));
        c.add(new Case("job-id-absolute", utf8(job("\"" + parent.resolve("abs-escape") + "\"")), 2, both, List.of()));
        c.add(new Case("job-id-dotdot", utf8(job("\"..\"")), 2, both, List.of()));
        c.add(new Case("job-id-empty", utf8(job("\"\"")), 2, both, List.of()));
        c.add(new Case("job-id-backslash", utf8(job("\"..\\\\..\\\\x\"")), 2, List.of(List.of("validate")), List.of()));
        c.add(new Case("job-id-newline", utf8(job("\"zz\\nqq\"")), 2, both, List.of("zz\nqq")));
        c.add(new Case("job-id-line-separator", utf8(job("\"zz\\u2028qq\"")), 2, both, List.of("zz\u2028qq")));
        c.add(new Case("job-id-very-long", utf8(job("j".repeat(5_000_000))), 2, both, List.of("j".repeat(1000))));
        c.add(new Case("step-id-traversal", utf8(header("f") + "  - id: j\n    steps:\n" + step("\"../../s\"")), 2, both,
                List.of()));
        c.add(new Case("flow-id-traversal", utf8(header("\"../../f\"") + "  - id: j\n    steps:\n" + step("s")), 2, both,
                List.of()));
        c.add(new Case("templated-flow-id-traversal", utf8(header("\"{{env.BAD_FLOW}}\"") + "  - id: j\n    steps:\n"
                + step("s")), 2, List.of(List.of("run")), List.of()));
        c.add(new Case("inner-step-id-traversal", utf8(header("f") + "  - id: j\n    steps:\n      - id: w\n"
                + "        type: with_lock\n        inputs:\n          lock_key: k\n"
                + "          step: {id: \"../../in\", type: check_items, inputs: {items: [1]}}\n"), 2, both, List.of()));
        // a templated inner id is only known at run time: the workspace refuses it and the job fails (exit 1)
        c.add(new Case("templated-inner-step-id", utf8(header("f") + "  - id: j\n    steps:\n      - id: w\n"
                + "        type: with_lock\n        inputs:\n          lock_key: k\n"
                + "          step: {id: \"{{env.BAD_INNER}}\", type: check_items, inputs: {items: [1]}}\n"), 1,
                List.of(List.of("run", "--run-id", "inner-1")), List.of()));
        // bad arguments on a good flow
        byte[] good = utf8(job("j"));
        c.add(new Case("run-id-newline", good, 2, List.of(List.of("run", "--run-id", "zz\nqq")), List.of("zz\nqq")));
        c.add(new Case("run-id-escape-sequence", good, 2, List.of(List.of("run", "--run-id", "x\u001b[2Jy")),
                List.of("\u001b[2J")));
        c.add(new Case("run-id-traversal", good, 2, List.of(List.of("run", "--run-id", "../../../victim"),
                List.of("run", "--run-id", ".."), List.of("run", "--run-id", parent.resolve("abs-run").toString())),
                List.of()));
        c.add(new Case("run-id-very-long", good, 2, List.of(List.of("run", "--run-id", "r".repeat(100_000))),
                List.of("r".repeat(1000))));
        c.add(new Case("flow-job-newline", good, 2, List.of(List.of("run", "--flow-job", "zz\nqq")), List.of("zz\nqq")));
        c.add(new Case("flow-job-traversal", good, 2, List.of(List.of("run", "--flow-job", "../../..")), List.of()));
        c.add(new Case("flow-job-very-long", good, 2, List.of(List.of("run", "--flow-job", "q".repeat(100_000))),
                List.of("q".repeat(1000))));
        c.add(new Case("unknown-option-newline", good, 2, List.of(List.of("run", "--zz\nqq")), List.of("zz\nqq")));
        // good runs around the bad ones share the state store: it must stay intact
        c.add(new Case("good-run", good, 0, List.of(List.of("run", "--run-id", "good-1"),
                List.of("run", "--run-id", "a..b"), List.of("run", "--run-id", "good-1")), List.of()));
        return c;
    }

    private static TreeSet<String> snapshot(Path dir) throws Exception {
        TreeSet<String> paths = new TreeSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(p -> paths.add(dir.relativize(p).toString()));
        }
        return paths;
    }

    private static boolean integrityOk(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            return rs.next() && "ok".equals(rs.getString(1)) && !rs.next();
        }
    }

    private static boolean hasRawControl(String out) {
        for (int i = 0; i < out.length(); i++) {
            char ch = out.charAt(i);
            if ((ch < 0x20 && ch != '\n' && ch != '\t') || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028') {
                return true;
            }
        }
        return false;
    }

    @Test
    void badInputIsRefusedCleanly() throws Exception {
        box = Files.createDirectories(parent.resolve("box"));
        root = box.resolve("l1/l2/root");
        stateDir = box.resolve("state");
        Path victim = Files.createDirectories(parent.resolve("victim"));
        Files.writeString(victim.resolve("keep.txt"), "precious");
        Path flows = Files.createDirectories(box.resolve("flows"));
        List<Case> cases = cases();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            files.add(Files.write(flows.resolve(i + "-" + cases.get(i).name() + ".yaml"), cases.get(i).yaml()));
        }
        Map<String, String> env = BadInputCli.baseEnv();
        env.put("BAD_FLOW", "../../flow");
        env.put("BAD_INNER", "../../../inner");
        TreeSet<String> before = snapshot(parent);

        int invocations = 0;
        int stackTraces = 0;
        int wrongExit = 0;
        int rawEchoes = 0;
        List<String> problems = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            Case k = cases.get(i);
            for (List<String> cmd : k.commands()) {
                List<String> args = new ArrayList<>(cmd.subList(0, 1));
                args.add("--flow-yaml");
                args.add(files.get(i).toString());
                args.addAll(cmd.subList(1, cmd.size()));
                Result r = BadInputCli.run(box, env, args);
                invocations++;
                String tag = k.name() + " " + cmd.get(0);
                if (STACK_FRAME.matcher(r.both()).find()) {
                    stackTraces++;
                    problems.add(tag + ": stack trace: " + r.stderr());
                }
                if (r.exit() != k.exit()) {
                    wrongExit++;
                    problems.add(tag + ": exit " + r.exit() + ", documented " + k.exit() + ": " + r.both());
                }
                boolean echoed = hasRawControl(r.both()) || k.mustNotEcho().stream().anyMatch(r.both()::contains);
                if (echoed) {
                    rawEchoes++;
                    problems.add(tag + ": raw control characters or the whole value echoed");
                }
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

        int corrupted = 0;
        int stateFiles = 0;
        try (Stream<Path> s = Files.walk(parent)) {
            for (Path db : s.filter(p -> p.toString().endsWith(".sqlite")).toList()) {
                stateFiles++;
                if (!integrityOk(db)) {
                    corrupted++;
                    problems.add("state file fails integrity_check: " + db);
                }
            }
        }
        TreeSet<String> after = snapshot(parent);
        String rootRel = parent.relativize(root).toString();
        String stateRel = parent.relativize(stateDir).toString();
        List<String> outside = new ArrayList<>();
        for (String p : after) {
            if (!before.contains(p) && !under(p, rootRel) && !under(p, stateRel) && !rootRel.startsWith(p + "/")
                    && !p.equals(rootRel)) {
                outside.add("created " + p);
            }
        }
        for (String p : before) {
            if (!after.contains(p)) {
                outside.add("deleted " + p);
            }
        }
        problems.addAll(outside);
        boolean pass = stackTraces == 0 && wrongExit == 0 && corrupted == 0 && outside.isEmpty() && rawEchoes == 0
                && stateFiles > 0;
        System.out.println("FIGURE bad-input: cases=" + cases.size() + " invocations=" + invocations + " stack_traces="
                + stackTraces + " wrong_exit_codes=" + wrongExit + " state_files=" + stateFiles + " corrupted_state_files="
                + corrupted + " paths_outside_root=" + outside.size() + " raw_control_echoes=" + rawEchoes + " seconds="
                + seconds + " (stack traces, exit codes other than the documented one, state files failing "
                + "integrity_check, paths created or deleted outside the workspace root and raw control characters "
                + "echoed are all 0) " + (pass ? "PASS" : "FAIL"));
        assertTrue(stateFiles > 0, "the good runs wrote a state file");
        assertEquals(List.of(), problems);
        assertEquals("precious", Files.readString(victim.resolve("keep.txt")));
    }

    private static boolean under(String p, String dir) {
        return p.equals(dir) || p.startsWith(dir + "/");
    }
}
