package io.aetherflow.runtime.state;

import org.junit.jupiter.api.BeforeEach;

class PgFireClaimsTest extends FireClaimsContract {

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
