package bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The route a request log line names, from Jersey's own matching run in memory (no server): resources laid out
 * as the API's are (a class path with a method sub-path, a template in the class path, a trailing slash).
 */
class RequestLogTest {

    private static final String ID = "0190f0e8-5a1b-7c3d-8e4f-0123456789ab";

    @Path("/v1/accounts")
    public static final class Accounts {
        @GET
        public String list() {
            return "[]";
        }

        @POST
        public String open() {
            return "{}";
        }

        @GET
        @Path("/{id}")
        public Response get(@PathParam("id") String id) {
            // A resource answers 404 for an id it does not know: the route is still the template.
            return Response.status(id.equals(ID) ? 200 : 404).build();
        }
    }

    @Path("/v1/accounts/{id}/transactions")
    public static final class Transactions {
        @GET
        public String list(@PathParam("id") String id) {
            return "[]";
        }
    }

    @Path("/v1/transfers/")
    public static final class Transfers {
        @GET
        @Path("{id}/")
        public String get(@PathParam("id") String id) {
            return "{}";
        }
    }

    @Path("/")
    public static final class Root {
        @GET
        public String index() {
            return "";
        }

        @GET
        @Path("openapi.json")
        public String document() {
            return "{}";
        }
    }

    /** Records what {@link RequestLog#route} names for each finished request. */
    private final List<String> routes = new CopyOnWriteArrayList<>();
    private ApplicationHandler jersey;

    @BeforeEach
    void jersey() {
        ApplicationEventListener recorder = new ApplicationEventListener() {
            @Override
            public void onEvent(ApplicationEvent event) {
            }

            @Override
            public RequestEventListener onRequest(RequestEvent start) {
                return event -> {
                    if (event.getType() == RequestEvent.Type.FINISHED) {
                        routes.add(RequestLog.route(event));
                    }
                };
            }
        };
        jersey = new ApplicationHandler(new ResourceConfig(Accounts.class, Transactions.class, Transfers.class, Root.class)
                .register(recorder));
    }

    @Test
    void aClassPathWithoutTemplateIsItsOwnRoute() throws Exception {
        assertThat(routeOf("GET", "/v1/accounts")).isEqualTo("/v1/accounts");
        assertThat(routeOf("POST", "/v1/accounts")).isEqualTo("/v1/accounts");
        assertThat(routeOf("GET", "/v1/accounts?limit=5&after=" + ID)).isEqualTo("/v1/accounts");
    }

    @Test
    void anIdInThePathIsNamedByItsTemplate() throws Exception {
        assertThat(routeOf("GET", "/v1/accounts/" + ID)).isEqualTo("/v1/accounts/{id}");
        assertThat(routeOf("GET", "/v1/accounts/" + ID + "/transactions")).isEqualTo("/v1/accounts/{id}/transactions");
        assertThat(routeOf("GET", "/v1/transfers/" + ID)).isEqualTo("/v1/transfers/{id}");
    }

    @Test
    void anIdTheResourceRefusesStillNamesTheTemplateNotThePath() throws Exception {
        assertThat(routeOf("GET", "/v1/accounts/not-there")).isEqualTo("/v1/accounts/{id}");
    }

    @Test
    void aMethodThePathDoesNotSupportIsUnmatchedAsJerseyMatchesNoMethod() throws Exception {
        assertThat(routeOf("DELETE", "/v1/accounts/" + ID)).isEqualTo("unmatched");
        assertThat(routeOf("PUT", "/v1/accounts")).isEqualTo("unmatched");
    }

    @Test
    void theRootAndAFileBelowItAreNamedWithoutADoubleSlash() throws Exception {
        assertThat(routeOf("GET", "/")).isEqualTo("/");
        assertThat(routeOf("GET", "/openapi.json")).isEqualTo("/openapi.json");
    }

    @Test
    void aPathNoResourceMatchesIsUnmatchedWhateverItCarries() throws Exception {
        assertThat(routeOf("GET", "/v2/accounts/" + ID)).isEqualTo("unmatched");
        assertThat(routeOf("GET", "/wp-admin/setup.php")).isEqualTo("unmatched");
    }

    @Test
    void noRouteCarriesAnIdOrAQueryWhateverThePath() throws Exception {
        for (String path : List.of("/v1/accounts/" + ID, "/v1/accounts/" + ID + "/transactions?after=" + ID,
                "/v1/accounts/" + ID + "/transactions/" + ID, "/v1/transfers/" + ID + "/x", "/v1/accounts/" + ID + "/")) {
            assertThat(routeOf("GET", path)).as(path).doesNotContain(ID).doesNotContain("?")
                    .matches("unmatched|/[a-z0-9/{}._]*");
        }
    }

    private String routeOf(String method, String pathAndQuery) throws Exception {
        routes.clear();
        ContainerRequest request = new ContainerRequest(URI.create("http://localhost/"),
                URI.create("http://localhost" + pathAndQuery), method, null, new MapPropertiesDelegate(),
                jersey.getConfiguration());
        ContainerResponse response = jersey.apply(request).get();
        assertThat(response.getStatus()).as(method + " " + pathAndQuery).isPositive();
        assertThat(routes).as("one route per request").hasSize(1);
        return routes.get(0);
    }
}
