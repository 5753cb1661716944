package dev.intake.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One access log line per request (method, route template, status, duration, bytes; the request id comes from the
 * log fields), the request's operation and workspace in the log fields of everything logged while it is served,
 * and the finished request handed to the {@link RequestObserver}. Jersey's request events tell when the operation
 * is matched and when the answer has been written; a writer interceptor counts the body's bytes.
 */
public final class AccessLog implements ApplicationEventListener, WriterInterceptor {
    /** Operation and route of a request that matched no operation of the spec (an unknown path or method). */
    public static final String UNMATCHED = "unmatched";
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final String OPERATION = "intake.operation";
    private static final String BYTES = "intake.responseBytes";

    private final SpecIndex spec;
    private final RequestObserver observer;

    public AccessLog(SpecIndex spec, RequestObserver observer) {
        this.spec = spec;
        this.observer = observer;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // Only request events matter.
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long started = System.nanoTime();
        return event -> {
            if (event.getType() == RequestEvent.Type.REQUEST_MATCHED) {
                matched(event.getContainerRequest());
            } else if (event.getType() == RequestEvent.Type.FINISHED) {
                try {
                    finished(event, System.nanoTime() - started);
                } finally {
                    LogFields.clear();
                }
            }
        };
    }

    private void matched(ContainerRequestContext request) {
        Optional<SpecIndex.Operation> operation = MatchedOperation.of(request, spec);
        operation.ifPresent(op -> {
            request.setProperty(OPERATION, op);
            MDC.put(LogFields.OPERATION_ID, op.operationId());
        });
        String workspace = request.getUriInfo().getPathParameters().getFirst("workspace");
        if (workspace != null) {
            MDC.put(LogFields.WORKSPACE, workspace);
        }
    }

    private void finished(RequestEvent event, long nanos) {
        ContainerRequestContext request = event.getContainerRequest();
        ContainerResponse response = event.getContainerResponse();
        int status = response == null ? 500 : response.getStatus();
        String method = request.getMethod();
        String operationId = UNMATCHED;
        String route = UNMATCHED;
        if (request.getProperty(OPERATION) instanceof SpecIndex.Operation op) {
            operationId = op.operationId();
            route = op.path();
        }
        long bytes = request.getProperty(BYTES) instanceof CountingStream counted ? counted.count : 0;
        long micros = nanos / 1000;
        LOG.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("route", route)
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", micros / 1000.0)
                .addKeyValue("bytes", bytes)
                .log("{} {} -> {} in {} ms, {} bytes", method, route, status, micros / 1000.0, bytes);
        observer.finished(operationId, method, status, nanos);
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        CountingStream counting = new CountingStream(context.getOutputStream());
        context.setOutputStream(counting);
        context.setProperty(BYTES, counting);
        context.proceed();
    }

    /** Counts the bytes of the answer's body on their way out. */
    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
