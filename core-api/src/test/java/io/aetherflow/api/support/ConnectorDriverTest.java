package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aetherflow.api.connector.ConnectorFactory;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorDriverTest {

    /** bnd names each property PREFIX_ + element name: they must be ConnectorFactory's property names. */
    @Test
    void elementsMapToTheConnectorFactoryProperties() {
        List<String> names = Arrays.stream(ConnectorDriver.class.getDeclaredMethods()).map(Method::getName).sorted()
                .map(n -> ConnectorDriver.PREFIX_ + n).toList();
        assertEquals(List.of(ConnectorFactory.ALIASES_PROPERTY, ConnectorFactory.DRIVER_PROPERTY,
                ConnectorFactory.KIND_PROPERTY), names);
    }
}
