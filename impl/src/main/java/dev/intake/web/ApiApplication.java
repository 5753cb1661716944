package dev.intake.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application: the resources the composition root built, plus this package's cross-cutting pieces
 * (JSON, body checks, unknown parameters, request ids, access log, problem answers). No classpath scanning.
 */
public final class ApiApplication extends ResourceConfig {
    public ApiApplication(List<Object> resources, List<Object> filters, SpecIndex spec, ObjectMapper mapper,
                          long maxBodyBytes, Map<Class<?>, BodyRules> bodyRules, RequestObserver requests) {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
        register(JacksonFeature.withoutExceptionMappers());
        register(new ObjectMapperResolver(mapper));
        register(new RequestIds());
        register(new DateTimeParameters());
        register(new AccessLog(spec, requests));
        register(new StoreTimeBudget());
        register(new MediaTypes());
        register(new MatrixParameters());
        register(new BodySizeLimit(maxBodyBytes));
        register(new QueryParameterChecks(spec));
        register(new SuccessStatus(spec));
        register(new BodyValidation(mapper, validator, bodyRules));
        register(new ParameterValidation());
        register(ProblemMapper.class);
        register(ConstraintViolationMapper.class);
        filters.forEach(this::register);
        // Resources carry their @Path on the generated interface, which Jersey reads from the class; the model is
        // built from the class and each method bound to the instance the composition root made.
        for (Object resource : resources) {
            registerResources(bind(Resource.from(resource.getClass()), resource));
        }
    }

    private static Resource bind(Resource model, Object instance) {
        Resource.Builder builder = Resource.builder(model.getPath());
        for (ResourceMethod method : model.getResourceMethods()) {
            builder.addMethod(method).handledBy(instance, method.getInvocable().getDefinitionMethod());
        }
        for (Resource child : model.getChildResources()) {
            builder.addChildResource(bind(child, instance));
        }
        return builder.build();
    }
}
