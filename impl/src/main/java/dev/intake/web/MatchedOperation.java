package dev.intake.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/** Finds the spec operation that Jersey matched for a request, from the matched path templates. */
public final class MatchedOperation {
    private MatchedOperation() {
    }

    public static Optional<SpecIndex.Operation> of(ContainerRequestContext request, SpecIndex spec) {
        if (!(request.getUriInfo() instanceof ExtendedUriInfo info)) {
            return Optional.empty();
        }
        List<UriTemplate> templates = info.getMatchedTemplates();
        if (templates.isEmpty()) {
            // Refused before matching (a pre-matching filter aborted): no operation, not the root path's.
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder();
        // Jersey lists the templates innermost first.
        for (int i = templates.size() - 1; i >= 0; i--) {
            String t = templates.get(i).getTemplate();
            if (t.isEmpty() || t.equals("/")) {
                continue;
            }
            if (!t.startsWith("/")) {
                path.append('/');
            }
            path.append(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        }
        // Jersey answers HEAD with the GET method, so the GET operation (and its security) applies.
        String method = "HEAD".equals(request.getMethod()) ? "GET" : request.getMethod();
        return spec.find(method, path.length() == 0 ? "/" : path.toString());
    }
}
