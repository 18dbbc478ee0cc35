/**
 * The single strict template resolver ({@code {{PATH}}} / {@code {{PATH:DEFAULT}}}), its phases and
 * allowed roots, Python-compatible inline rendering ({@link io.aetherflow.api.support.PyRepr})
 * and the resource decode-request shapes.
 */
package io.aetherflow.runtime.template;
