package org.abctolls.functions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** SDK clients that fail once, at a chosen call, as a crashing function would. */
public final class Faults {

    public enum When {
        /** The call never reaches AWS. */
        BEFORE_CALL,
        /** The call takes effect, then the function dies. */
        AFTER_CALL,
        /**
         * The call takes effect, its answer is lost, and the SDK sends it again: the caller gets
         * the second call's answer.
         */
        SENT_AGAIN
    }

    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }

    private Faults() {}

    /**
     * {@code client}, except that each call of {@code method} (null: of every method) whose
     * request matches fails before reaching AWS, with an {@link InjectedFailure}, as long as
     * {@code failing} holds: an outage.
     */
    public static <T> T failWhile(
            Class<T> type, T client, String method, Predicate<Object> request, BooleanSupplier failing) {
        return failWhile(
                type, client, method, request, failing, () -> new InjectedFailure("injected outage of " + method));
    }

    /** As {@link #failWhile(Class, Object, String, Predicate, BooleanSupplier)}, failing with the given error. */
    public static <T> T failWhile(
            Class<T> type,
            T client,
            String method,
            Predicate<Object> request,
            BooleanSupplier failing,
            Supplier<? extends RuntimeException> error) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, called, args) -> {
            if ((method == null || called.getName().equals(method))
                    && args != null
                    && args.length == 1
                    && request.test(args[0])
                    && failing.getAsBoolean()) {
                throw error.get();
            }
            try {
                return called.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return type.cast(proxy);
    }

    /** {@code client}, except that the first call of {@code method} fails {@code when}. */
    static <T> T failOnce(Class<T> type, T client, String method, When when) {
        return failOnceAt(type, client, method, 1, when);
    }

    /** {@code client}, except that the {@code call}-th call of {@code method} fails {@code when}. */
    public static <T> T failOnceAt(Class<T> type, T client, String method, int call, When when) {
        AtomicInteger calls = new AtomicInteger();
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, called, args) -> {
            boolean fail = called.getName().equals(method) && calls.incrementAndGet() == call;
            if (fail && when == When.BEFORE_CALL) {
                throw new InjectedFailure("injected failure before " + method);
            }
            Object result;
            try {
                result = called.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (fail && when == When.SENT_AGAIN) {
                try {
                    return called.invoke(client, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            if (fail) {
                throw new InjectedFailure("injected failure after " + method);
            }
            return result;
        });
        return type.cast(proxy);
    }
}
