package dev.intake.web;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets a streamed response that fails after its first byte be aborted rather than completed. When an entity fails
 * after the response is committed, Jersey logs the error and then completes the response normally: with chunked
 * transfer encoding that sends the terminating chunk, and a truncated body would look complete to the client. This
 * wrapper around the Jersey handler lets {@link #abortCurrentResponse} close the connection without the terminating
 * chunk, so every HTTP client reports an incomplete body, and fail the request, so Jersey's later "success" is
 * ignored. Jersey handles a request on the thread Jetty calls it on (nothing here is
 * asynchronous), which is what ties the abort to the right response.
 */
public final class AbortableResponses extends Handler.Wrapper {
    private static final ThreadLocal<AbortableCallback> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Request> REQUEST = new ThreadLocal<>();

    public AbortableResponses(Handler jersey) {
        super(jersey);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        AbortableCallback abortable = new AbortableCallback(callback);
        CURRENT.set(abortable);
        REQUEST.set(request);
        try {
            return super.handle(request, response, abortable);
        } finally {
            CURRENT.remove();
            REQUEST.remove();
        }
    }

    /**
     * Aborts the response being written on this thread: call it when a body fails after bytes of it were sent.
     *
     * @throws IllegalStateException when this thread is not handling a request
     */
    public static void abortCurrentResponse(Throwable cause) {
        AbortableCallback callback = CURRENT.get();
        if (callback == null) {
            throw new IllegalStateException("No response is being written on this thread", cause);
        }
        // Close the connection first, so that nothing Jersey writes afterwards (its closing of the body would
        // send the terminating chunk) reaches the client; then fail the request so Jetty does not reuse it.
        REQUEST.get().getConnectionMetaData().getConnection().getEndPoint().close(cause);
        callback.abort(cause);
    }

    /** Completes once: an abort wins over whatever Jersey reports afterwards. */
    private static final class AbortableCallback extends Callback.Nested {
        private final AtomicBoolean done = new AtomicBoolean();

        AbortableCallback(Callback callback) {
            super(callback);
        }

        void abort(Throwable cause) {
            if (done.compareAndSet(false, true)) {
                super.failed(cause);
            }
        }

        @Override
        public void succeeded() {
            if (done.compareAndSet(false, true)) {
                super.succeeded();
            }
        }

        @Override
        public void failed(Throwable x) {
            if (done.compareAndSet(false, true)) {
                super.failed(x);
            }
        }
    }
}
