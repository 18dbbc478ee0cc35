/**
 * Flow validation (schema, semantic rules, step input checks, template and profile scans) and the
 * {@code doctor}/{@code explain} diagnostics, with the reference's report shapes and text output.
 */
package io.aetherflow.runtime.validate;
