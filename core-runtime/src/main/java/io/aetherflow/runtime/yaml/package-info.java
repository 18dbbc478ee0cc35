/**
 * Safe YAML loading for flow files, profiles and other documents: plain maps, lists and scalars only,
 * duplicate keys refused, limits against alias bombs, deep nesting and huge documents, and the
 * line/column of every key so validation issues can point into the file.
 */
package io.aetherflow.runtime.yaml;
