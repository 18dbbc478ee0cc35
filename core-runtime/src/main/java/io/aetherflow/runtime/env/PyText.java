package io.aetherflow.runtime.env;

import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.PyRepr;
import java.util.Collection;
import java.util.Map;

/** Text conversions that reproduce the reference's Python {@code str()} where users can see them. */
final class PyText {

    private PyText() {
    }

    /**
     * Python {@code str()} of a scalar; maps and lists become JSON text (as the reference's json env
     * files do).
     */
    static String str(Object v) {
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            return Json.writeSpaced(v);
        }
        return PyRepr.str(v);
    }
}
