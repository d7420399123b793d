package bank.docs;

import bank.http.ApiException;
import bank.http.ProblemType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pages that problem {@code type}s lead to: one per {@link ProblemType}, saying when it happens and what a
 * client does about it, and an index of them all. They are written from the enum alone, so a page cannot disagree
 * with the problems the service sends. Outside {@code /v1}: no key, no rate limit, and not part of the API's SLO.
 */
@Path(ProblemType.PAGES)
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public final class ProblemPages {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** The texts change only with the service, so a day of caching costs a client nothing. */
    private static final CacheControl CACHE = CacheControl.valueOf("public, max-age=86400");

    @GET
    public Response index() {
        String rows = Arrays.stream(ProblemType.values())
                .map(type -> "<tr><td><a href=\"" + type.uri() + "\"><code>" + type.uri() + "</code></a></td><td>"
                        + type.status() + "</td><td>" + html(type.title()) + "</td></tr>")
                .collect(Collectors.joining("\n"));
        return page("Problem types", "<p>Every error of the API is an RFC 9457 <code>application/problem+json</code> "
                + "document whose <code>type</code> is one of these.</p>\n<table>\n<tr><th><code>type</code></th>"
                + "<th>Status</th><th>Title</th></tr>\n" + rows + "\n</table>");
    }

    @GET
    @Path("{slug}")
    public Response problem(@PathParam("slug") String slug) {
        ProblemType type = ProblemType.bySlug(slug)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No problem type has this name."));
        return page(type.title(), "<p><code>type</code>: <code>" + type.uri() + "</code>, status "
                + type.status() + "</p>\n<h2>When</h2>\n<p>" + html(type.description())
                + "</p>\n<h2>What to do</h2>\n<p>" + html(type.advice())
                + "</p>\n<p><a href=\"" + ProblemType.PAGES + "\">Every problem type</a></p>");
    }

    private static Response page(String title, String body) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + html(title)
                + "</title></head>\n<body>\n<h1>" + html(title) + "</h1>\n" + body + "\n</body>\n</html>\n";
        return Response.ok(html).cacheControl(CACHE).build();
    }

    /** The enum's Markdown as HTML: escaped, with code in backticks set as code. */
    static String html(String markdown) {
        String escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
        return CODE.matcher(escaped).replaceAll(match -> "<code>" + Matcher.quoteReplacement(match.group(1)) + "</code>");
    }
}
