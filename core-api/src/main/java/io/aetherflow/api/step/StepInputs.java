package io.aetherflow.api.step;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A step's rendered inputs with strict, typed accessors. Every accessor that finds a value of the
 * wrong type throws {@link StepInputException} naming the step, the input, the expected type and
 * the value found. A key whose value is null counts as absent for the {@code opt*} accessors.
 *
 * <p>Booleans are strict: {@code true/false/yes/no/1/0} (any case) and YAML booleans only.
 */
@ProviderType
public interface StepInputs {

    /** @return all inputs in YAML order, unmodifiable */
    Map<String, Object> asMap();

    /**
     * @param name input name
     * @return true when the key is present (even with a null value)
     */
    boolean has(String name);

    /**
     * @param name input name
     * @return the raw value, or null
     */
    Object raw(String name);

    /**
     * Fails unless every named input is present.
     *
     * @param names required input names
     * @throws StepInputException listing the missing names
     */
    void require(String... names);

    /**
     * A required string (numbers and booleans are converted to their text).
     *
     * @param name input name
     * @return the value; never null
     */
    String string(String name);

    /**
     * @param name input name
     * @param defaultValue returned when absent or null
     * @return the value as a string
     */
    String optString(String name, String defaultValue);

    /**
     * @param name input name
     * @param defaultValue returned when absent or null
     * @return the strictly parsed boolean
     */
    boolean bool(String name, boolean defaultValue);

    /**
     * @param name input name
     * @param defaultValue returned when absent or null
     * @return the value as a long (integral numbers or numeric strings only)
     */
    long integer(String name, long defaultValue);

    /**
     * @param name input name
     * @param defaultValue returned when absent or null
     * @return the value as a double
     */
    double number(String name, double defaultValue);

    /**
     * A list input; a scalar becomes a one-element list, null an empty list.
     *
     * @param name input name
     * @return an unmodifiable list
     */
    List<Object> list(String name);

    /**
     * A mapping input (nested inputs such as {@code log:} or {@code retry:}).
     *
     * @param name input name
     * @return the nested inputs, empty when absent or null
     */
    StepInputs section(String name);
}
