package io.aetherflow.api.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of a {@link io.aetherflow.api.connector.ConnectorFactory} component, as a
 * Declarative Services component property type: bnd writes {@code aetherflow.connector.kind},
 * {@code aetherflow.connector.driver} and {@code aetherflow.connector.aliases} from it at build time,
 * so a misspelt property name cannot happen.
 *
 * <pre>
 * &#64;Component(service = ConnectorFactory.class)
 * &#64;ConnectorDriver(kind = "kv", driver = "acme", aliases = "acme-legacy")
 * public final class AcmeKvFactory implements ConnectorFactory { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ConnectorDriver {

    /** Property name prefix: the elements below become {@code aetherflow.connector.<element>}. */
    String PREFIX_ = "aetherflow.connector.";

    /** @return the connector kind ({@link io.aetherflow.api.connector.ConnectorFactory#KIND_PROPERTY}) */
    String kind();

    /** @return the driver name ({@link io.aetherflow.api.connector.ConnectorFactory#DRIVER_PROPERTY}) */
    String driver();

    /** @return further driver names ({@link io.aetherflow.api.connector.ConnectorFactory#ALIASES_PROPERTY}) */
    String[] aliases() default {};
}
