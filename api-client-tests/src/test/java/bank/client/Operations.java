package bank.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The operations of the committed OpenAPI document, read from the YAML itself, and the ones the tests called: each
 * response the generated client receives is matched, by its method and path, to the operation that answered it.
 */
final class Operations implements Consumer<HttpResponse<InputStream>> {

    private static final Path DOCUMENT = Path.of(System.getProperty("bank.openapi.document", "../docs/openapi.yaml"));

    /** operationId by "METHOD regex of the path template". */
    private final Map<String, String> byRoute = new LinkedHashMap<>();
    private final Set<String> called = new ConcurrentSkipListSet<>();

    Operations() {
        Map<String, Map<String, Map<String, Object>>> paths;
        try (InputStream document = Files.newInputStream(DOCUMENT)) {
            Map<String, Object> root = new Yaml().load(document);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Map<String, Object>>> read = (Map<String, Map<String, Map<String, Object>>>) root.get("paths");
            paths = read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        paths.forEach((template, operations) -> operations.forEach((method, operation) -> byRoute.put(
                method.toUpperCase() + " " + template.replaceAll("\\{[^}]+}", "[^/]+"),
                (String) operation.get("operationId"))));
    }

    /** Every operationId of the document. */
    Set<String> documented() {
        return new TreeSet<>(byRoute.values());
    }

    /** The operations that answered a request of the generated client. */
    Set<String> called() {
        return new TreeSet<>(called);
    }

    @Override
    public void accept(HttpResponse<InputStream> response) {
        String request = response.request().method() + " " + response.request().uri().getRawPath();
        byRoute.forEach((route, operationId) -> {
            if (Pattern.matches(route, request)) {
                called.add(operationId);
            }
        });
    }
}
