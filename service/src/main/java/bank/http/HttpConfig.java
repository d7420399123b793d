package bank.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** The {@code http:} block of config.yml: limits the web server applies before any request reaches a resource. */
public class HttpConfig {

    /** Larger bodies get 413 before they are read: by Content-Length up front, or by counting a chunked body. */
    @NotNull
    private DataSize maxRequestBodySize = DataSize.kibibytes(64);

    /** How long reading a whole JSON body may take; one still arriving after it gets 408. */
    @NotNull
    private Duration requestBodyTimeout = Duration.seconds(5);

    @JsonProperty
    public Duration getRequestBodyTimeout() {
        return requestBodyTimeout;
    }

    @JsonProperty
    public void setRequestBodyTimeout(Duration requestBodyTimeout) {
        this.requestBodyTimeout = requestBodyTimeout;
    }

    @JsonProperty
    public DataSize getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    @JsonProperty
    public void setMaxRequestBodySize(DataSize maxRequestBodySize) {
        this.maxRequestBodySize = maxRequestBodySize;
    }
}
