package dev.intake.web;

import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import jakarta.ws.rs.ext.ContextResolver;
import java.lang.annotation.ElementType;
import org.glassfish.jersey.server.validation.ValidationConfig;

/**
 * Jersey's bean validation of a resource method checks its parameters (a page size's range, a name's pattern) but
 * does not walk into a bean: the request body, the only bean a method takes, was checked whole by
 * {@link BodyValidation} when it was read, with every problem listed. Walking it again cost more than
 * the first check (a batch of 100 trajectories: thousands of objects) and could find nothing new.
 */
final class ParameterValidation implements ContextResolver<ValidationConfig> {
    private static final TraversableResolver PARAMETERS_ONLY = new TraversableResolver() {
        @Override
        public boolean isReachable(Object bean, Path.Node property, Class<?> rootType, Path path, ElementType where) {
            return bean == null; // a parameter itself; never a property of a bean
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node property, Class<?> rootType, Path path, ElementType where) {
            return bean == null;
        }
    };

    /** Jersey builds its validator from this once, keyed by this resolver. */
    private static final ValidationConfig CONFIG = new ValidationConfig().traversableResolver(PARAMETERS_ONLY);

    @Override
    public ValidationConfig getContext(Class<?> type) {
        return CONFIG;
    }
}
