package io.aetherflow.runtime.state;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * One run's hold on a store of a {@link StorePool}: every {@link StateStore} call goes to the pooled
 * store until {@link StateStore#close()}, which hands the store back to the pool (once; later closes
 * do nothing, later calls fail as on a closed store), so a run keeps its "one connection" for its
 * whole life and the next run reuses the connection, its prepared statements and its checked schema.
 *
 * <p>The hold is a {@link Proxy} of the interface, so it follows every method the seam gains
 * without a hand-written delegate per method.
 */
final class LeasedStore implements InvocationHandler {

    private final JdbcStateStore store;
    private final Consumer<JdbcStateStore> giveBack;
    private boolean closed;

    private LeasedStore(JdbcStateStore store, Consumer<JdbcStateStore> giveBack) {
        this.store = store;
        this.giveBack = giveBack;
    }

    /**
     * @param store the pooled store
     * @param giveBack called once, with the store, when the run closes its hold
     * @return the run's hold on the store
     */
    static StateStore of(JdbcStateStore store, Consumer<JdbcStateStore> giveBack) {
        return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, new LeasedStore(store, giveBack));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "lease of " + store.location();
            };
        }
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            synchronized (this) {
                if (closed) {
                    return null;
                }
                closed = true;
            }
            giveBack.accept(store);
            return null;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("state store " + store.location() + " is closed");
            }
        }
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
