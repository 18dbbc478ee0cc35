package io.aetherflow.runtime.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteFireClaimsTest extends FireClaimsContract {

    @TempDir
    Path dir;

    @Override
    StateStore open(StoreOptions options) {
        return SqliteStateStore.open(dir.resolve("fires.sqlite"), options);
    }
}
