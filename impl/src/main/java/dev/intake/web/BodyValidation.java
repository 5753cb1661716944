package dev.intake.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request body and checks it against its schema, answering one 422 that lists every offending field
 * (unknown properties, values of the wrong type, bad enum values, forbidden nulls, missing or out-of-range values,
 * and the body type's own rules) with a JSON path, instead of the first problem only.
 * <p>
 * A body that binds is checked by bean validation and its rules. A body that does not bind (a value Jackson cannot
 * read) is read again as a JSON tree: each value that fails is noted and taken out of the tree (an object's
 * property removed, an array element replaced by an empty object, then the whole array if that fails too), and
 * the tree is bound again, until it binds; so every such value is listed, and the checks run on what is left.
 * Problems under a path already listed are not listed twice. Messages speak the spec's terms, never Java's.
 */
public final class BodyValidation implements ReaderInterceptor {
    /** Bounds the re-binding of a body with many unreadable values; the answer lists this many at most. */
    private static final int MAX_UNREADABLE = 100;
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'$", Pattern.DOTALL);

    private final ObjectMapper json;
    private final Validator validator;
    private final Map<Class<?>, BodyRules> rules;

    /** @param rules the extra rules of some body types, checked after the schema */
    public BodyValidation(ObjectMapper json, Validator validator, Map<Class<?>, BodyRules> rules) {
        this.json = json;
        this.validator = validator;
        this.rules = Map.copyOf(rules);
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed(); // Jersey finds no reader for it: its 415
        }
        // BodySizeLimit bounds this read: an oversized body fails here with 413, before anything is buffered whole.
        // The body is bound here, not by Jersey's JSON provider: each read gets its own collector of unknown
        // properties, so nothing is shared between reads or threads.
        byte[] bytes = context.getInputStream().readAllBytes();
        Map<String, String> errors = new LinkedHashMap<>();
        Object body;
        JavaType type = json.constructType(context.getGenericType());
        UnknownPropertyCollector unknown = new UnknownPropertyCollector();
        try {
            body = read(bytes, type, unknown);
        } catch (JsonParseException e) {
            throw notJson(e);
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
            unknown.collected().clear(); // the collecting bind lists them again
            body = bindCollecting(bytes, type, errors);
        } catch (JsonProcessingException e) {
            throw ApiProblemException.unprocessable("The request body cannot be read.", List.of());
        }
        unknown.collected().forEach(u -> errors.putIfAbsent(u.field(), u.message()));
        if (body == null) {
            if (errors.isEmpty()) {
                throw ApiProblemException.unprocessable("The request body is empty.", List.of(
                        new ApiProblemException.FieldError("$", "a JSON object is required")));
            }
            throw invalid(errors);
        }
        for (ConstraintViolation<Object> v : validator.validate(body)) {
            addUnlessCovered(errors, path(v.getPropertyPath()), v.getMessage());
        }
        BodyRules own = rules.get(body.getClass());
        if (own != null) {
            own.check(body).forEach(e -> addUnlessCovered(errors, e.field(), e.message()));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return body;
    }

    /** A media type Jersey's JSON provider reads (none given counts as JSON, as it does for the provider). */
    private static boolean isJson(MediaType type) {
        if (type == null) {
            return true;
        }
        String subtype = type.getSubtype();
        return subtype.equalsIgnoreCase("json") || subtype.endsWith("+json") || subtype.equals("javascript")
                || subtype.equals("x-javascript") || subtype.equals("x-json");
    }

    /**
     * Binds the body as Jersey's JSON provider would (no content at all: null), with this read's own collector of
     * unknown properties.
     */
    private Object read(byte[] bytes, JavaType type, UnknownPropertyCollector unknown) throws IOException {
        try (JsonParser p = json.createParser(bytes)) {
            return p.nextToken() == null ? null : json.readerFor(type).withHandler(unknown).readValue(p);
        }
    }

    /**
     * Binds the body's JSON tree, taking out each value that fails and binding again, noting every problem; the
     * bound body of what is left, or null when nothing could be bound.
     */
    private Object bindCollecting(byte[] bytes, JavaType type, Map<String, String> errors) {
        JsonNode tree;
        try {
            tree = json.readTree(bytes);
        } catch (JsonParseException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw ApiProblemException.unprocessable("The request body cannot be read.", List.of());
        }
        Set<String> emptied = new HashSet<>();
        for (int attempt = 0; attempt < MAX_UNREADABLE && tree != null && !tree.isMissingNode(); attempt++) {
            UnknownPropertyCollector unknown = new UnknownPropertyCollector();
            try {
                Object body = json.readerFor(type).withHandler(unknown).readValue(tree);
                unknown.collected().forEach(u -> errors.putIfAbsent(u.field(), u.message()));
                return body;
            } catch (JsonMappingException e) {
                unknown.collected().forEach(u -> errors.putIfAbsent(u.field(), u.message()));
                String at = path(e);
                addUnlessCovered(errors, at, describe(e));
                if (!takeOut(tree, e.getPath(), emptied.add(at))) {
                    return null;
                }
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Takes the failing value out of the tree: removes an object's property; replaces an array element by an empty
     * object the first time ({@code firstTime}), so the other elements keep their indexes, and removes the whole
     * array when that fails too. False when nothing can be taken out (the body itself is wrong).
     */
    private static boolean takeOut(JsonNode tree, List<JsonMappingException.Reference> path, boolean firstTime) {
        if (path.isEmpty()) {
            return false;
        }
        JsonNode parent = tree;
        for (JsonMappingException.Reference r : path.subList(0, path.size() - 1)) {
            parent = r.getFieldName() != null ? parent.get(r.getFieldName()) : parent.get(r.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode object && object.has(last.getFieldName())) {
            object.remove(last.getFieldName());
            return true;
        }
        if (last.getIndex() >= 0 && parent instanceof ArrayNode array && last.getIndex() < array.size()) {
            if (firstTime) {
                array.set(last.getIndex(), array.objectNode());
                return true;
            }
            return takeOut(tree, path.subList(0, path.size() - 1), false);
        }
        return false;
    }

    /** Adds a problem unless it is the same field as, or lies inside, one already listed. */
    private static void addUnlessCovered(Map<String, String> errors, String field, String message) {
        for (String listed : errors.keySet()) {
            if (field.equals(listed) || field.startsWith(listed + ".") || field.startsWith(listed + "[")) {
                return;
            }
        }
        errors.put(field, message);
    }

    private static ApiProblemException notJson(JsonParseException e) {
        String why = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage().lines().findFirst().orElse("");
        String where = e.getProcessor() != null ? path(e.getProcessor().getParsingContext(), e.getOriginalMessage()) : "$";
        return ApiProblemException.unprocessable("The request body is not valid JSON: " + why,
                List.of(new ApiProblemException.FieldError(where, why)));
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

    private static ApiProblemException invalid(Map<String, String> errors) {
        List<ApiProblemException.FieldError> sorted = new ArrayList<>();
        errors.forEach((field, message) -> sorted.add(new ApiProblemException.FieldError(field, message)));
        sorted.sort(java.util.Comparator.comparing(ApiProblemException.FieldError::field));
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

    /** Says what was expected in the spec's terms, never with Java type names. */
    static String describe(JsonMappingException e) {
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e.getCause() instanceof InputCoercionException) {
            return "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        Class<?> type = e instanceof MismatchedInputException mie ? mie.getTargetType()
                : e instanceof ValueInstantiationException vie && vie.getType() != null ? vie.getType().getRawClass()
                : null;
        if (type == null) {
            return "invalid value";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "must be a number" + (type == Integer.class || type == Long.class || type == int.class
                    || type == long.class ? " (an integer)" : "");
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be a boolean";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return Rfc3339.EXPECTED; // the one date-time reader refuses malformed values and those out of the store's range
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        return "must be an object";
    }
}
