package dev.intake.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request body and checks it against its schema, answering one 422 that lists every offending field
 * (unknown properties, missing or invalid values) with a JSON path, instead of the first problem only.
 */
public final class BodyValidation implements ReaderInterceptor {
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'$", Pattern.DOTALL);
    private final Validator validator;
    private final Map<Class<?>, BodyRules> rules;

    /** @param rules the extra rules of some body types, checked after the schema */
    public BodyValidation(Validator validator, Map<Class<?>, BodyRules> rules) {
        this.validator = validator;
        this.rules = Map.copyOf(rules);
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        List<ApiProblemException.FieldError> errors = UnknownPropertyCollector.begin();
        Object body;
        try {
            body = context.proceed();
        } catch (JsonParseException e) {
            String where = e.getProcessor() != null ? path(e.getProcessor().getParsingContext(), e.getOriginalMessage()) : "$";
            throw ApiProblemException.unprocessable("The request body is not valid JSON: " + e.getOriginalMessage(),
                    List.of(new ApiProblemException.FieldError(where, e.getOriginalMessage())));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ApiProblemException tooLarge) {
                throw tooLarge;
            }
            Matcher duplicate = duplicateKey(e);
            if (duplicate.matches()) {
                // A repeated key met while an object was buffered (for its constructor): the path ends at the object.
                String where = path(e);
                where = where.endsWith("." + duplicate.group(1)) ? where : where + "." + duplicate.group(1);
                throw ApiProblemException.unprocessable("The request body is not valid JSON: " + duplicate.group(),
                        List.of(new ApiProblemException.FieldError(where, duplicate.group())));
            }
            errors.add(new ApiProblemException.FieldError(path(e), describe(e)));
            throw invalid(errors);
        } catch (JsonProcessingException e) {
            throw ApiProblemException.unprocessable("The request body cannot be read: " + e.getOriginalMessage(), List.of());
        } finally {
            UnknownPropertyCollector.end();
        }
        if (body == null) {
            throw ApiProblemException.unprocessable("The request body is empty.", List.of(
                    new ApiProblemException.FieldError("$", "a JSON object is required")));
        }
        for (ConstraintViolation<Object> v : validator.validate(body)) {
            errors.add(new ApiProblemException.FieldError(path(v.getPropertyPath()), v.getMessage()));
        }
        BodyRules own = rules.get(body.getClass());
        if (own != null) {
            errors.addAll(own.check(body));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return body;
    }

    private static ApiProblemException invalid(List<ApiProblemException.FieldError> errors) {
        List<ApiProblemException.FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(ApiProblemException.FieldError::field));
        return ApiProblemException.unprocessable(
                "The request body does not match its schema (" + sorted.size() + " problem"
                        + (sorted.size() == 1 ? "" : "s") + "); see errors.", sorted);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Where the parser stopped, e.g. {@code $.steps[1].source} for a key repeated in the second step (the parser
     * names the repeated key only in its message, and may not have made it the context's current name yet).
     */
    private static String path(JsonStreamContext context, String message) {
        Matcher duplicate = DUPLICATE_KEY.matcher(message == null ? "" : message);
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c == context && duplicate.matches()) {
                parts.push("." + duplicate.group(1));
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        if (duplicate.matches() && context != null && (context.inRoot() || context.inArray())) {
            parts.add("." + duplicate.group(1));
        }
        return "$" + String.join("", parts);
    }

    /** Matches the parser's "Duplicate field 'x'" anywhere in the failure's causes. */
    private static Matcher duplicateKey(Throwable e) {
        Matcher m = DUPLICATE_KEY.matcher("");
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException jpe && jpe.getOriginalMessage() != null
                    && (m = DUPLICATE_KEY.matcher(jpe.getOriginalMessage())).matches()) {
                return m;
            }
        }
        return m;
    }

    /** Bean-validation paths use Java property names; the wire uses their snake_case form. */
    static String path(Path propertyPath) {
        StringBuilder sb = new StringBuilder("$");
        for (Path.Node node : propertyPath) {
            // An element's index sits on the node after the collection ("steps", then "[0].step_id").
            if (node.isInIterable()) {
                sb.append(node.getIndex() != null ? "[" + node.getIndex() + "]"
                        : node.getKey() != null ? "['" + node.getKey() + "']" : "[]");
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                sb.append('.').append(Names.snakeCase(node.getName()));
            }
        }
        return sb.toString();
    }

    /** Says what was expected in the spec's terms rather than Jackson's. */
    private static String describe(JsonMappingException e) {
        if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            Class<?> type = mie.getTargetType();
            if (type.isEnum()) {
                return "must be one of " + java.util.Arrays.toString(type.getEnumConstants());
            }
            if (type == String.class) {
                return "must be a string";
            }
            if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
                return "must be a number" + (type == Integer.class || type == Long.class ? " (an integer)" : "");
            }
            if (type == Boolean.class || type == boolean.class) {
                return "must be a boolean";
            }
            if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
                return "must be an ISO-8601 date-time with an offset, such as 2025-01-01T00:00:00Z";
            }
            if (java.util.List.class.isAssignableFrom(type)) {
                return "must be an array";
            }
            return "must be an object";
        }
        String m = e.getOriginalMessage();
        return m == null ? "invalid value" : m.lines().findFirst().orElse(m);
    }
}
