package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the query string against the spec's parameters of the matched operation, naming each offender in one 400:
 * a parameter the operation does not declare (a misspelt filter must not silently return everything), an empty
 * value ({@code status=} must not mean "no filter"), and a repeated parameter that is not an array (which of
 * {@code page=1&page=2} is meant?). Parameters added to the spec are checked without code. Runs after
 * authentication, before the resource.
 */
@Priority(Priorities.USER)
public final class QueryParameterChecks implements ContainerRequestFilter {
    private static final String UNKNOWN = "unknown query parameter";
    private static final String EMPTY = "must not be empty";
    private static final String REPEATED = "must be given at most once (only array parameters repeat)";

    private final SpecIndex spec;

    public QueryParameterChecks(SpecIndex spec) {
        this.spec = spec;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        MatchedOperation.of(request, spec).ifPresent(op -> {
            Map<String, String> problems = new TreeMap<>();
            request.getUriInfo().getQueryParameters().forEach((name, values) -> {
                if (!op.queryParameters().contains(name)) {
                    problems.put(name, UNKNOWN);
                } else if (values.stream().anyMatch(String::isEmpty)) {
                    problems.put(name, EMPTY);
                } else if (values.size() > 1 && !op.repeatableQueryParameters().contains(name)) {
                    problems.put(name, REPEATED);
                }
            });
            if (!problems.isEmpty()) {
                List<String> sentences = new ArrayList<>();
                for (var kind : List.of(Map.entry(UNKNOWN, "Unsupported"), Map.entry(EMPTY, "Empty"), Map.entry(REPEATED, "Repeated"))) {
                    List<String> names = problems.entrySet().stream().filter(p -> p.getValue().equals(kind.getKey()))
                            .map(Map.Entry::getKey).toList();
                    if (!names.isEmpty()) {
                        sentences.add(kind.getValue() + " query parameter(s): " + String.join(", ", names) + ".");
                    }
                }
                throw ApiProblemException.badRequest(String.join(" ", sentences), problems.entrySet().stream()
                        .map(p -> new ApiProblemException.FieldError(p.getKey(), p.getValue())).toList());
            }
        });
    }
}
