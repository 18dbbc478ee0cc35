/**
 * The {@code external.process} step: runs a program with retries, timeouts that take down the whole
 * process tree, bounded and masked output capture, success checks and idempotency strategies.
 * Private to the bundle; the step is published as a DS component.
 */
package io.aetherflow.steps.process;
