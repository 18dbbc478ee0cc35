package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool of shared framework storages of one plugin set. */
class FrameworkStorageTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentLaunchesGetDistinctSharedSlotsThenAPrivateOne() throws Exception {
        Path set = tmp.resolve("felix").resolve("0123456789abcdef");
        List<FrameworkStorage> held = new ArrayList<>();
        try {
            for (int slot = 1; slot <= FrameworkStorage.SLOTS; slot++) {
                FrameworkStorage s = FrameworkStorage.acquire(set);
                held.add(s);
                assertTrue(s.shared(), "slot " + slot);
                assertEquals(slot, s.slot());
                assertEquals(slot == 1 ? set : tmp.resolve("felix").resolve("0123456789abcdef-" + slot), s.dir());
            }
            try (FrameworkStorage fifth = FrameworkStorage.acquire(set)) {
                assertFalse(fifth.shared());
                assertEquals(0, fifth.slot());
                assertFalse(fifth.dir().startsWith(tmp.resolve("felix")), fifth.dir().toString());
                Files.writeString(fifth.dir().resolve("x"), "x");
                held.add(fifth);
            }
            assertFalse(Files.exists(held.get(FrameworkStorage.SLOTS).dir()), "private storage deleted on close");
            held.remove(FrameworkStorage.SLOTS);
            // a released slot is the next one handed out, and the others stay taken
            held.remove(1).close();
            try (FrameworkStorage again = FrameworkStorage.acquire(set)) {
                assertEquals(2, again.slot());
            }
        } finally {
            for (FrameworkStorage s : held) {
                s.close();
            }
        }
        try (FrameworkStorage first = FrameworkStorage.acquire(set)) {
            assertEquals(1, first.slot(), "all released: the first slot again");
        }
    }

    /**
     * Another launcher process that took slot 1 through {@link FrameworkStorage#acquire} (the real
     * path, including recording the use in the lock file) keeps it: this process gets slot 2. File
     * locks are per process, so only a second JVM can tell; a lock released by closing another
     * descriptor of the lock file made every launch take slot 1 and share one storage.
     */
    @Test
    void aSlotTakenByAnotherProcessStaysTakenWhileItRuns() throws Exception {
        Path set = tmp.resolve("felix").resolve("0123456789abcdef");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SlotHolder.class.getName(), set.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals('1', other.getInputStream().read(), "the other process took slot 1");
            Path lockFile = set.resolveSibling(set.getFileName() + ".lock");
            assertTrue(Files.readString(lockFile).startsWith(other.pid() + " "), Files.readString(lockFile));
            try (FrameworkStorage mine = FrameworkStorage.acquire(set)) {
                assertEquals(2, mine.slot(), "slot 1 is held by the other process");
            }
        } finally {
            other.destroy();
            other.waitFor();
        }
        try (FrameworkStorage mine = FrameworkStorage.acquire(set)) {
            assertEquals(1, mine.slot(), "released when the other process ended");
        }
    }

    @Test
    void privateStoragesLeftByKilledLaunchersArePrunedButNotLiveOrStartingOnes() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        FileTime twoMinutesAgo = FileTime.from(Instant.now().minusSeconds(120));
        Process live = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SlotHolder.class.getName(), temp.toString(), "private")
                .redirectErrorStream(true).start();
        try {
            assertEquals('0', live.getInputStream().read(), "the other process took a private storage");
            Path liveDir;
            try (var s = Files.list(temp)) {
                liveDir = s.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            Files.setLastModifiedTime(liveDir, twoMinutesAgo);
            Path killed = Files.createDirectories(temp.resolve(FrameworkStorage.PRIVATE_PREFIX + "111"));
            Files.writeString(temp.resolve(killed.getFileName() + ".lock"), "");
            Files.writeString(killed.resolve("bundle.info"), "x");
            Files.setLastModifiedTime(killed, twoMinutesAgo);
            Path starting = Files.createDirectories(temp.resolve(FrameworkStorage.PRIVATE_PREFIX + "222"));
            Files.writeString(temp.resolve(starting.getFileName() + ".lock"), "");
            Path oldForm = Files.createDirectories(temp.resolve(FrameworkStorage.PRIVATE_PREFIX + "333"));
            Files.setLastModifiedTime(oldForm, FileTime.from(Instant.now().minus(java.time.Duration.ofDays(2))));
            Path oldFormRecent = Files.createDirectories(temp.resolve(FrameworkStorage.PRIVATE_PREFIX + "444"));
            Files.setLastModifiedTime(oldFormRecent, twoMinutesAgo);
            Path stranger = Files.createDirectories(temp.resolve("other-tool-555"));
            Files.setLastModifiedTime(stranger, FileTime.from(Instant.now().minus(java.time.Duration.ofDays(2))));

            try (FrameworkStorage mine = FrameworkStorage.privateStorage(temp)) {
                assertFalse(mine.shared());
                assertTrue(Files.exists(mine.dir().resolveSibling(mine.dir().getFileName() + ".lock")));
                assertFalse(Files.exists(killed), "a killed launcher's storage is deleted");
                assertFalse(Files.exists(temp.resolve(killed.getFileName() + ".lock")));
                assertFalse(Files.exists(oldForm), "an unlocked storage of the older form, 2 days old, is deleted");
                assertTrue(Files.exists(liveDir.resolveSibling(liveDir.getFileName() + ".lock")));
                assertTrue(Files.isDirectory(liveDir), "a running launcher's storage stays");
                assertTrue(Files.isDirectory(starting), "a storage modified within the last minute stays");
                assertTrue(Files.isDirectory(oldFormRecent), "an older-form storage younger than a day stays");
                assertTrue(Files.isDirectory(stranger), "other programs' directories stay");
                Path mineDir = mine.dir();
                mine.close();
                assertFalse(Files.exists(mineDir));
                assertFalse(Files.exists(mineDir.resolveSibling(mineDir.getFileName() + ".lock")));
            }
        } finally {
            live.destroy();
            live.waitFor();
        }
    }

    /**
     * Takes a slot as a launcher does (or, with a second argument, a private storage in the directory
     * given), prints its number and holds it until killed.
     */
    public static final class SlotHolder {
        public static void main(String[] args) throws Exception {
            FrameworkStorage s = args.length > 1 ? FrameworkStorage.privateStorage(Path.of(args[0]))
                    : FrameworkStorage.acquire(Path.of(args[0]));
            System.out.print(s.slot());
            System.out.flush();
            Thread.sleep(60_000);
            s.close();
        }
    }

    @Test
    void aNewSetPrunesTheSlotsOfSetsUnusedForLongButNotHeldOrRecentOnes() throws Exception {
        Path felix = tmp.resolve("felix");
        Path old = felix.resolve("00000000000000aa");
        Path recent = felix.resolve("00000000000000bb");
        Path held = felix.resolve("00000000000000cc");
        FileTime longAgo = FileTime.from(Instant.now().minus(FrameworkStorage.STALE_AFTER).minusSeconds(60));
        for (Path set : List.of(old, recent, held)) {
            try (FrameworkStorage one = FrameworkStorage.acquire(set); FrameworkStorage two = FrameworkStorage.acquire(set)) {
                for (FrameworkStorage s : List.of(one, two)) {
                    Files.writeString(Files.createDirectories(s.dir()).resolve("bundle0"), "cached");
                }
            }
        }
        FrameworkStorage holding = FrameworkStorage.acquire(held);
        try {
            for (Path set : List.of(old, held)) {
                for (int slot = 1; slot <= 2; slot++) {
                    Path dir = FrameworkStorage.slotDir(set, slot);
                    Files.setLastModifiedTime(dir.resolveSibling(dir.getFileName() + ".lock"), longAgo);
                }
            }
            try (FrameworkStorage fresh = FrameworkStorage.acquire(felix.resolve("00000000000000dd"))) {
                assertTrue(fresh.shared());
            }
            assertFalse(Files.exists(old), "stale slot 1 deleted");
            assertFalse(Files.exists(Path.of(old + "-2")), "stale slot 2 deleted");
            assertTrue(Files.exists(Path.of(old + "-2.lock")), "a pruned slot's lock file stays (never unlinked under a waiter)");
            assertTrue(Files.exists(recent.resolve("bundle0")), "recently used set kept");
            assertTrue(Files.exists(held.resolve("bundle0")), "slot held by a launcher kept");
            assertFalse(Files.exists(Path.of(held + "-2")), "the free stale slot of a held set deleted");
        } finally {
            holding.close();
        }
    }

    @Test
    void anUnwritableCacheGivesAPrivateStorage() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        try (FrameworkStorage s = FrameworkStorage.acquire(file.resolve("felix").resolve("k"))) {
            assertFalse(s.shared());
            assertTrue(Files.isDirectory(s.dir()));
        }
    }
}
