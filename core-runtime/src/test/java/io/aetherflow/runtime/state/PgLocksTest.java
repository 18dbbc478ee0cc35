package io.aetherflow.runtime.state;

import org.junit.jupiter.api.BeforeEach;

class PgLocksTest extends LocksContract {

    private StateUrl url;

    @BeforeEach
    void database() {
        url = PgStores.freshUrl();
    }

    @Override
    StateStore open(StoreOptions options) {
        return PgStores.open(url, options);
    }
}
