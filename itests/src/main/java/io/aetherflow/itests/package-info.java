/**
 * In-framework tests: run by bnd-testing in a real Felix with the runtime bundles, through the
 * same OSGi service registry the launcher uses.
 */
package io.aetherflow.itests;
