package io.aetherflow.runtime.when;

import io.aetherflow.api.support.PyRepr;
import io.aetherflow.runtime.CodePoints;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed {@code job.when} expression. Grammar: {@code and}, {@code or}, {@code not}, comparisons
 * {@code == != < <= > >=} (chains allowed), parentheses, attribute paths rooted at {@code jobs},
 * numbers (negative ones too), strings in single or double quotes, and the case-insensitive literals
 * {@code true}, {@code false}, {@code none}/{@code null}. Semantics follow Python ({@code True == 1};
 * {@code "true" == True} is false; ordering a string against a number is an error). Immutable.
 */
public final class WhenExpression {

    private static final Set<String> ALLOWED = Set.of("BoolOp", "And", "Or", "UnaryOp", "Not", "USub",
            "Compare", "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Name", "Load", "Attribute", "Constant");

    private final String source;
    private final Node root;

    private WhenExpression(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * Parses and checks an expression (no evaluation).
     *
     * @param source the expression text
     * @return the expression
     * @throws WhenSyntaxException {@code Syntax error: <msg>}, {@code Unsupported node: <Node>} or
     *     {@code Unsupported name: <name>}
     */
    public static WhenExpression parse(String source) {
        Node root = Parser.parse(source);
        // Breadth-first like Python's ast.walk, so the first offending node is the reference's.
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node n = queue.removeFirst();
            if (!ALLOWED.contains(n.pyName())) {
                throw new WhenSyntaxException("Unsupported node: " + n.pyName());
            }
            if (n instanceof Node.Name name && !"jobs".equals(name.id())) {
                throw new WhenSyntaxException("Unsupported name: " + name.id());
            }
            queue.addAll(n.children());
        }
        return new WhenExpression(source, root);
    }

    /** @return the expression text as given */
    public String source() {
        return source;
    }

    /**
     * Evaluates the expression.
     *
     * @param jobsContext job id to {@code {status, outputs, ...}} for jobs processed so far
     * @return the Python truth value of the result
     * @throws WhenEvaluationException for a missing job or key, or an unsupported comparison
     */
    public boolean evaluate(Map<String, Object> jobsContext) {
        return truthy(eval(root, jobsContext));
    }

    @Override
    public String toString() {
        return source;
    }

    private Object eval(Node n, Map<String, Object> jobs) {
        if (n instanceof Node.Const c) {
            return c.value();
        }
        if (n instanceof Node.Name) {
            return jobs;
        }
        if (n instanceof Node.Attr a) {
            Object base = eval(a.value(), jobs);
            String where = path(a.value());
            if (!(base instanceof Map<?, ?> m)) {
                throw new WhenEvaluationException(where + " is " + typeName(base) + ", it has no attribute '"
                        + a.attr() + "'");
            }
            if (!m.containsKey(a.attr())) {
                if (a.value() instanceof Node.Name) {
                    throw new WhenEvaluationException("Unknown job '" + a.attr() + "' in jobs." + a.attr()
                            + " (jobs processed so far: " + PyRepr.repr(List.copyOf(keys(m))) + ")");
                }
                throw new WhenEvaluationException(where + " has no key '" + a.attr() + "' (keys: "
                        + PyRepr.repr(List.copyOf(keys(m))) + ")");
            }
            return m.get(a.attr());
        }
        if (n instanceof Node.Unary u) {
            Object v = eval(u.operand(), jobs);
            if ("Not".equals(u.op())) {
                return !truthy(v);
            }
            return negate(v);
        }
        if (n instanceof Node.BoolOp b) {
            Object last = null;
            for (Node v : b.values()) {
                last = eval(v, jobs);
                if (b.and() != truthy(last)) {
                    return last;
                }
            }
            return last;
        }
        if (n instanceof Node.Compare c) {
            Object left = eval(c.left(), jobs);
            for (int i = 0; i < c.ops().size(); i++) {
                Object right = eval(c.comparators().get(i), jobs);
                if (!compare(c.ops().get(i), left, right)) {
                    return false;
                }
                left = right;
            }
            return true;
        }
        throw new WhenEvaluationException("Unsupported node: " + n.pyName());
    }

    private static Set<String> keys(Map<?, ?> m) {
        Set<String> out = new TreeSet<>();
        m.keySet().forEach(k -> out.add(String.valueOf(k)));
        return out;
    }

    private static String path(Node n) {
        if (n instanceof Node.Name name) {
            return name.id();
        }
        if (n instanceof Node.Attr a) {
            return path(a.value()) + "." + a.attr();
        }
        return "(" + n.pyName() + ")";
    }

    private static Object negate(Object v) {
        if (v instanceof Boolean b) {
            return b ? -1L : 0L;
        }
        if (v instanceof Double d) {
            return -d;
        }
        if (v instanceof Float f) {
            return -f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            BigInteger r = b.negate();
            return r.bitLength() < 64 ? (Object) r.longValue() : r;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l);
        }
        if (v instanceof BigDecimal d) {
            return d.negate();
        }
        throw new WhenEvaluationException("bad operand type for unary -: '" + typeName(v) + "'");
    }

    /**
     * Python truthiness.
     *
     * @param v a value
     * @return false for None, False, zero, empty string/list/map; true otherwise
     */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof Float f) {
            return f != 0.0f;
        }
        if (v instanceof BigInteger b) {
            return b.signum() != 0;
        }
        if (v instanceof BigDecimal b) {
            return b.signum() != 0;
        }
        if (v instanceof Number num) {
            return num.longValue() != 0;
        }
        if (v instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    private static boolean compare(String op, Object a, Object b) {
        switch (op) {
            case "Eq":
                return pyEquals(a, b);
            case "NotEq":
                return !pyEquals(a, b);
            default:
                return order(op, a, b);
        }
    }

    private static boolean isNumber(Object v) {
        return v instanceof Boolean || v instanceof Number;
    }

    private static boolean isNaN(Object v) {
        return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
    }

    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (isNumber(a) && isNumber(b)) {
            return !isNaN(a) && !isNaN(b) && numCompare(a, b) == 0;
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return x.toString().equals(y.toString());
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !pyEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean order(String op, Object a, Object b) {
        int c;
        if (isNumber(a) && isNumber(b)) {
            if (isNaN(a) || isNaN(b)) {
                return false;
            }
            c = numCompare(a, b);
        } else if (a instanceof CharSequence x && b instanceof CharSequence y) {
            c = CodePoints.compare(x.toString(), y.toString());
        } else if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return order(op, x.get(i), y.get(i));
                }
            }
            c = Integer.compare(x.size(), y.size());
        } else {
            throw new WhenEvaluationException("'" + symbol(op) + "' not supported between instances of '"
                    + typeName(a) + "' and '" + typeName(b) + "'");
        }
        return switch (op) {
            case "Lt" -> c < 0;
            case "LtE" -> c <= 0;
            case "Gt" -> c > 0;
            default -> c >= 0;
        };
    }

    private static String symbol(String op) {
        return switch (op) {
            case "Lt" -> "<";
            case "LtE" -> "<=";
            case "Gt" -> ">";
            default -> ">=";
        };
    }

    private static int numCompare(Object a, Object b) {
        boolean fa = a instanceof Double || a instanceof Float;
        boolean fb = b instanceof Double || b instanceof Float;
        if ((fa && Double.isInfinite(((Number) a).doubleValue()))
                || (fb && Double.isInfinite(((Number) b).doubleValue()))) {
            return Double.compare(toDouble(a), toDouble(b));
        }
        return toDecimal(a).compareTo(toDecimal(b));
    }

    private static double toDouble(Object v) {
        return v instanceof Boolean bo ? (bo ? 1 : 0) : ((Number) v).doubleValue();
    }

    private static BigDecimal toDecimal(Object v) {
        if (v instanceof Boolean bo) {
            return bo ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(((Number) v).doubleValue());
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    /**
     * Python type name of a value, for messages.
     *
     * @param v a value
     * @return {@code str}, {@code int}, {@code float}, {@code bool}, {@code NoneType}, {@code list},
     *     {@code dict} or the Java simple class name
     */
    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return "float";
        }
        if (v instanceof Number) {
            return "int";
        }
        if (v instanceof CharSequence) {
            return "str";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        return v.getClass().getSimpleName();
    }
}
