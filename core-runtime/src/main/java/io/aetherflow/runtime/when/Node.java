package io.aetherflow.runtime.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Syntax tree of a {@code when} expression, shaped like Python's {@code ast} so unsupported
 * constructs are reported with the reference's node names ({@code BinOp}, {@code Call}, ...).
 */
sealed interface Node {

    /** The Python ast class name of each node kind whose name is fixed ({@link Op} and {@link Other} carry theirs). */
    Map<Class<? extends Node>, String> PY_NAMES = Map.of(Const.class, "Constant", Name.class, "Name", Attr.class,
            "Attribute", Unary.class, "UnaryOp", BoolOp.class, "BoolOp", Compare.class, "Compare");

    /** @return the Python ast class name */
    default String pyName() {
        return PY_NAMES.get(getClass());
    }

    /** @return child nodes in Python field order (operators included as {@link Op}); none for a leaf */
    default List<Node> children() {
        return List.of();
    }

    /** An operator pseudo-node ({@code Eq}, {@code And}, {@code Add}, ...). */
    record Op(String pyName) implements Node {
    }

    /** A literal. */
    record Const(Object value) implements Node {
    }

    /** A bare name. */
    record Name(String id) implements Node {
        @Override
        public List<Node> children() {
            return List.of(new Op("Load"));
        }
    }

    /** {@code value.attr}. */
    record Attr(Node value, String attr) implements Node {
        @Override
        public List<Node> children() {
            return List.of(value, new Op("Load"));
        }
    }

    /** {@code not x}, {@code -x}, {@code +x}, {@code ~x}; op is {@code Not}, {@code USub}, ... */
    record Unary(String op, Node operand) implements Node {
        @Override
        public List<Node> children() {
            return List.of(new Op(op), operand);
        }
    }

    /** {@code a and b and c} / {@code a or b}. */
    record BoolOp(boolean and, List<Node> values) implements Node {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(new Op(and ? "And" : "Or"));
            out.addAll(values);
            return out;
        }
    }

    /** {@code a < b <= c}; ops are Python names ({@code Lt}, {@code LtE}, {@code Eq}, ...). */
    record Compare(Node left, List<String> ops, List<Node> comparators) implements Node {
        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(left);
            for (String o : ops) {
                out.add(new Op(o));
            }
            out.addAll(comparators);
            return out;
        }
    }

    /** Any construct outside the grammar (kept only to name it in the error). */
    record Other(String pyName, List<Node> children) implements Node {
    }
}
