package io.aetherflow.runtime.when;

import java.util.ArrayList;
import java.util.List;

/**
 * Syntax tree of a {@code when} expression, shaped like Python's {@code ast} so unsupported
 * constructs are reported with the reference's node names ({@code BinOp}, {@code Call}, ...).
 */
sealed interface Node {

    /** @return the Python ast class name */
    String pyName();

    /** @return child nodes in Python field order (operators included as {@link Op}) */
    List<Node> children();

    /** An operator pseudo-node ({@code Eq}, {@code And}, {@code Add}, ...). */
    record Op(String pyName) implements Node {
        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /** A literal. */
    record Const(Object value) implements Node {
        @Override
        public String pyName() {
            return "Constant";
        }

        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /** A bare name. */
    record Name(String id) implements Node {
        @Override
        public String pyName() {
            return "Name";
        }

        @Override
        public List<Node> children() {
            return List.of(new Op("Load"));
        }
    }

    /** {@code value.attr}. */
    record Attr(Node value, String attr) implements Node {
        @Override
        public String pyName() {
            return "Attribute";
        }

        @Override
        public List<Node> children() {
            return List.of(value, new Op("Load"));
        }
    }

    /** {@code not x}, {@code -x}, {@code +x}, {@code ~x}; op is {@code Not}, {@code USub}, ... */
    record Unary(String op, Node operand) implements Node {
        @Override
        public String pyName() {
            return "UnaryOp";
        }

        @Override
        public List<Node> children() {
            return List.of(new Op(op), operand);
        }
    }

    /** {@code a and b and c} / {@code a or b}. */
    record BoolOp(boolean and, List<Node> values) implements Node {
        @Override
        public String pyName() {
            return "BoolOp";
        }

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
        public String pyName() {
            return "Compare";
        }

        @Override
        public List<Node> children() {
            List<Node> out = new ArrayList<>();
            out.add(left);
            ops.forEach(o -> out.add(new Op(o)));
            out.addAll(comparators);
            return out;
        }
    }

    /** Any construct outside the grammar (kept only to name it in the error). */
    record Other(String pyName, List<Node> children) implements Node {
    }
}
