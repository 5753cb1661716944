package dev.intake.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application: the resources the composition root built, plus this package's cross-cutting pieces
 * (JSON, body checks, unknown parameters, request ids, problem answers). No classpath scanning.
 */
public final class ApiApplication extends ResourceConfig {
    public ApiApplication(List<Object> resources, List<Object> filters, SpecIndex spec, ObjectMapper mapper,
                          long maxBodyBytes) {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
        register(JacksonFeature.withoutExceptionMappers());
        register(new ObjectMapperResolver(mapper));
        register(new RequestIds());
        register(new BodySizeLimit(maxBodyBytes));
        register(new UnknownQueryParameters(spec));
        register(new SuccessStatus(spec));
        register(new BodyValidation(validator));
        register(ProblemMapper.class);
        filters.forEach(this::register);
        resources.forEach(this::register);
    }
}
