package bank.e2e.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for Loki's push API ({@code POST /loki/api/v1/push}) in its JSON form, which is what the loki4j
 * appender sends: streams of label sets, each with [timestamp, line, structured metadata] entries.
 */
public final class LokiStandIn extends StandInServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One log entry as Loki would store it. */
    public record Entry(Map<String, String> labels, long timestampNanos, String line, Map<String, String> metadata) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public LokiStandIn() {
        super("/loki/api/v1/push");
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    int accept(String contentType, byte[] body) {
        if (contentType == null || !contentType.startsWith("application/json")) {
            return 415;
        }
        JsonNode push;
        try {
            push = JSON.readTree(body);
        } catch (IOException e) {
            return 400;
        }
        for (JsonNode stream : push.path("streams")) {
            Map<String, String> labels = strings(stream.path("stream"));
            for (JsonNode value : stream.path("values")) {
                entries.add(new Entry(labels, Long.parseLong(value.get(0).asText()), value.get(1).asText(),
                        value.size() > 2 ? strings(value.get(2)) : Map.of()));
            }
        }
        return 204;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }
}
