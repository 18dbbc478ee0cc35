package io.aetherflow.dist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the directories under {@code examples/} that a black-box test class runs the way the example's
 * header comment tells a user to. {@link ExamplesCoverageIT} fails when an example has no such class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface RunsExamples {

    /** Example directory names, e.g. {@code "hello"}. */
    String[] value();
}
