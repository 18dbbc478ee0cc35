package io.aetherflow.runtime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeRequestsTest {

    @Test
    void nestedMapsAndPathListsDeduplicatedInOrder() {
        Map<String, Object> decode = new LinkedHashMap<>();
        decode.put("config", Map.of("password", true, "user", false));
        decode.put("config_paths", List.of("password", "auth.token"));
        decode.put("options", Map.of("a", Map.of("b", true)));
        decode.put("options_paths", Arrays.asList("x"));
        List<DecodeRequest> r = DecodeRequests.collect(decode);
        assertEquals(List.of("config.password", "config.auth.token", "options.a.b", "options.x"),
                r.stream().map(DecodeRequest::dotted).toList());
    }

    @Test
    void invalidShapesAreSyntaxErrors() {
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("config", Map.of("p", "yes")),
                Map.<String, Object>of("config", "password"),
                Map.<String, Object>of("config_paths", "password"),
                Map.<String, Object>of("options_paths", List.of("")),
                Map.<String, Object>of("options_paths", List.of(3L)))) {
            TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> DecodeRequests.collect(bad));
            assertTrue(e.getMessage().startsWith(TemplateSyntaxException.PREFIX));
        }
    }

    @Test
    void valueAt() {
        Map<String, Object> cfg = Map.of("auth", Map.of("token", "{{env.T}}"));
        assertEquals("{{env.T}}", DecodeRequests.valueAt(cfg, new DecodeRequest("config", List.of("auth", "token"))));
        assertNull(DecodeRequests.valueAt(cfg, new DecodeRequest("config", List.of("auth", "nope"))));
    }
}
