package io.aetherflow.runtime.when;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for a Python expression subset big enough to name every construct a user
 * may write (so the reference's {@code Unsupported node: X} messages can be reproduced). Literals
 * {@code true/false/none/null} are case-insensitive.
 */
final class Parser {

    private enum T { NAME, NUMBER, STRING, OP, END }

    private record Tok(T type, String text, Object value, int col) {
    }

    private final String src;
    private final List<Tok> toks = new ArrayList<>();
    private int p;

    private Parser(String src) {
        this.src = src;
    }

    static Node parse(String src) {
        Parser parser = new Parser(src);
        parser.tokenize();
        if (parser.peek().type == T.END) {
            throw syntax("empty expression");
        }
        Node n = parser.expr();
        if (parser.peek().type != T.END) {
            Tok t = parser.peek();
            throw syntax("invalid syntax: unexpected " + describe(t) + " at column " + (t.col + 1));
        }
        return n;
    }

    private static WhenSyntaxException syntax(String msg) {
        return new WhenSyntaxException("Syntax error: " + msg);
    }

    private static String describe(Tok t) {
        return t.type == T.END ? "end of expression" : "'" + t.text + "'";
    }

    // ---------------------------------------------------------------- tokenizer

    private static final String[] OPS3 = {"**=", "//=", ">>=", "<<=", "..."};
    private static final String[] OPS2 = {"==", "!=", "<=", ">=", "**", "//", "<<", ">>", ":=", "->",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="};
    private static final String OPS1 = "()[]{}.,:;+-*/%<>=|&^~@!";

    private void tokenize() {
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            if (c == '"' || c == '\'') {
                i = string(i);
                continue;
            }
            if ((c == 'u' || c == 'U') && i + 1 < n && (src.charAt(i + 1) == '"' || src.charAt(i + 1) == '\'')) {
                i = string(i + 1);
                continue;
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(src.charAt(i + 1)))) {
                i = number(i);
                continue;
            }
            int cp = src.codePointAt(i);
            if (Character.isLetter(cp) || cp == '_') {
                while (i < n) {
                    cp = src.codePointAt(i);
                    if (!(Character.isLetterOrDigit(cp) || cp == '_')) {
                        break;
                    }
                    i += Character.charCount(cp);
                }
                if (i < n && (src.charAt(i) == '"' || src.charAt(i) == '\'')) {
                    throw syntax("string prefix '" + src.substring(start, i) + "' is not supported (column "
                            + (start + 1) + ")");
                }
                toks.add(new Tok(T.NAME, src.substring(start, i), null, start));
                continue;
            }
            String op = null;
            for (String o : OPS3) {
                if (src.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                for (String o : OPS2) {
                    if (src.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
            }
            if (op == null && OPS1.indexOf(c) >= 0) {
                op = String.valueOf(c);
            }
            if (op == null) {
                throw syntax("invalid character '" + new String(Character.toChars(cp)) + "' at column " + (i + 1));
            }
            toks.add(new Tok(T.OP, op, null, i));
            i += op.length();
        }
        toks.add(new Tok(T.END, "", null, n));
    }

    private int string(int i) {
        int n = src.length();
        char q = src.charAt(i);
        boolean triple = src.startsWith(String.valueOf(q).repeat(3), i);
        int start = i;
        i += triple ? 3 : 1;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= n) {
                throw syntax("unterminated string literal starting at column " + (start + 1));
            }
            char c = src.charAt(i);
            if (triple ? src.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
                i += triple ? 3 : 1;
                break;
            }
            if (!triple && (c == '\n' || c == '\r')) {
                throw syntax("unterminated string literal starting at column " + (start + 1));
            }
            if (c == '\\' && i + 1 < n) {
                i = escape(i + 1, sb);
                continue;
            }
            sb.append(c);
            i++;
        }
        toks.add(new Tok(T.STRING, src.substring(start, i), sb.toString(), start));
        return i;
    }

    private int escape(int i, StringBuilder sb) {
        char e = src.charAt(i);
        switch (e) {
            case '\\', '\'', '"' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'v' -> sb.append('\u000b');
            case '\n' -> {
            }
            case 'x', 'u', 'U' -> {
                int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + 1 + len > src.length()) {
                    throw syntax("truncated \\" + e + " escape at column " + i);
                }
                String hex = src.substring(i + 1, i + 1 + len);
                try {
                    sb.appendCodePoint(Integer.parseInt(hex, 16));
                } catch (IllegalArgumentException ex) {
                    throw syntax("invalid \\" + e + " escape at column " + i);
                }
                return i + 1 + len;
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int j = i;
                    while (j < src.length() && j < i + 3 && src.charAt(j) >= '0' && src.charAt(j) <= '7') {
                        j++;
                    }
                    sb.append((char) Integer.parseInt(src.substring(i, j), 8));
                    return j;
                }
                sb.append('\\').append(e);
            }
        }
        return i + 1;
    }

    private int number(int i) {
        int n = src.length();
        int start = i;
        if (src.charAt(i) == '0' && i + 1 < n && "xXoObB".indexOf(src.charAt(i + 1)) >= 0) {
            char kind = Character.toLowerCase(src.charAt(i + 1));
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            i += 2;
            while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                i++;
            }
            String digits = src.substring(start + 2, i).replace("_", "");
            try {
                toks.add(new Tok(T.NUMBER, src.substring(start, i), normal(new BigInteger(digits, radix)), start));
            } catch (NumberFormatException e) {
                throw syntax("invalid number literal '" + src.substring(start, i) + "' at column " + (start + 1));
            }
            return i;
        }
        boolean isFloat = false;
        while (i < n && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) {
            i++;
        }
        if (i < n && src.charAt(i) == '.') {
            isFloat = true;
            i++;
            while (i < n && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                i++;
            }
        }
        if (i < n && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (src.charAt(j) == '+' || src.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(src.charAt(j))) {
                isFloat = true;
                i = j;
                while (i < n && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
            }
        }
        String text = src.substring(start, i);
        if (i < n && (Character.isLetter(src.charAt(i)) || src.charAt(i) == '_')) {
            throw syntax("invalid number literal '" + text + src.charAt(i) + "' at column " + (start + 1));
        }
        String clean = text.replace("_", "");
        if (text.endsWith("_") || text.contains("__")) {
            throw syntax("invalid number literal '" + text + "' at column " + (start + 1));
        }
        Object value;
        if (isFloat) {
            value = Double.parseDouble(clean);
        } else {
            if (clean.length() > 1 && clean.charAt(0) == '0' && !allZeros(clean)) {
                throw syntax("leading zeros in decimal integer literals are not permitted ('" + text
                        + "' at column " + (start + 1) + ")");
            }
            value = normal(new BigInteger(clean));
        }
        toks.add(new Tok(T.NUMBER, text, value, start));
        return i;
    }

    private static Object normal(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    // ---------------------------------------------------------------- parser

    private Tok peek() {
        return toks.get(p);
    }

    private boolean isOp(String op) {
        Tok t = peek();
        return t.type == T.OP && t.text.equals(op);
    }

    private boolean isKw(String kw) {
        Tok t = peek();
        return t.type == T.NAME && t.text.equals(kw);
    }

    private boolean isKwAt(int offset, String kw) {
        Tok t = toks.get(Math.min(p + offset, toks.size() - 1));
        return t.type == T.NAME && t.text.equals(kw);
    }

    private void expect(String op) {
        if (!isOp(op)) {
            Tok t = peek();
            throw syntax("expected '" + op + "' but found " + describe(t) + " at column " + (t.col + 1));
        }
        p++;
    }

    private Node expr() {
        Node body = orTest();
        if (isKw("if")) {
            p++;
            Node test = orTest();
            if (!isKw("else")) {
                throw syntax("expected 'else' after 'if' at column " + (peek().col + 1));
            }
            p++;
            Node orelse = expr();
            return new Node.Other("IfExp", List.of(test, body, orelse));
        }
        return body;
    }

    private static boolean allZeros(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private Node orTest() {
        return boolOp("or");
    }

    private Node andTest() {
        return boolOp("and");
    }

    /**
     * {@code operand (kw operand)*}: one {@link Node.BoolOp} for a chain, the operand alone without one.
     * The operand is {@link #notTest} for {@code and}, {@link #andTest} for {@code or} (no method
     * references here: each costs a lambda class spun at the first parse of a short-lived JVM).
     */
    private Node boolOp(String kw) {
        boolean and = "and".equals(kw);
        Node first = and ? notTest() : andTest();
        if (!isKw(kw)) {
            return first;
        }
        List<Node> values = new ArrayList<>(List.of(first));
        while (isKw(kw)) {
            p++;
            values.add(and ? notTest() : andTest());
        }
        return new Node.BoolOp(and, values);
    }

    private Node notTest() {
        if (isKw("not")) {
            p++;
            return new Node.Unary("Not", notTest());
        }
        return comparison();
    }

    private Node comparison() {
        Node left = bitOr();
        List<String> ops = new ArrayList<>();
        List<Node> rights = new ArrayList<>();
        while (true) {
            String op = compOp();
            if (op == null) {
                break;
            }
            ops.add(op);
            rights.add(bitOr());
        }
        return ops.isEmpty() ? left : new Node.Compare(left, ops, rights);
    }

    private String compOp() {
        Tok t = peek();
        if (t.type == T.OP) {
            String op = switch (t.text) {
                case "==" -> "Eq";
                case "!=" -> "NotEq";
                case "<" -> "Lt";
                case "<=" -> "LtE";
                case ">" -> "Gt";
                case ">=" -> "GtE";
                case "=" -> throw syntax("'=' at column " + (t.col + 1) + " is not a comparison; use '=='");
                default -> null;
            };
            if (op != null) {
                p++;
            }
            return op;
        }
        if (isKw("in")) {
            p++;
            return "In";
        }
        if (isKw("not") && isKwAt(1, "in")) {
            p += 2;
            return "NotIn";
        }
        if (isKw("is")) {
            p++;
            if (isKw("not")) {
                p++;
                return "IsNot";
            }
            return "Is";
        }
        return null;
    }

    /** The operand parsers of {@link #binary}, by precedence level (see {@link #operand}). */
    private enum Level { BIT_XOR, BIT_AND, SHIFT, ARITH, TERM, FACTOR }

    private Node operand(Level level) {
        return switch (level) {
            case BIT_XOR -> bitXor();
            case BIT_AND -> bitAnd();
            case SHIFT -> shift();
            case ARITH -> arith();
            case TERM -> term();
            case FACTOR -> factor();
        };
    }

    /** {@code operand (op operand)*}, left-associative; {@code ops} pairs an operator with its Python name. */
    private Node binary(Level next, String... ops) {
        Node left = operand(next);
        while (true) {
            Tok t = peek();
            String name = null;
            if (t.type == T.OP) {
                for (int i = 0; i < ops.length; i += 2) {
                    if (ops[i].equals(t.text)) {
                        name = ops[i + 1];
                    }
                }
            }
            if (name == null) {
                return left;
            }
            p++;
            Node right = operand(next);
            left = new Node.Other("BinOp", List.of(left, new Node.Op(name), right));
        }
    }

    private Node bitOr() {
        return binary(Level.BIT_XOR, "|", "BitOr");
    }

    private Node bitXor() {
        return binary(Level.BIT_AND, "^", "BitXor");
    }

    private Node bitAnd() {
        return binary(Level.SHIFT, "&", "BitAnd");
    }

    private Node shift() {
        return binary(Level.ARITH, "<<", "LShift", ">>", "RShift");
    }

    private Node arith() {
        return binary(Level.TERM, "+", "Add", "-", "Sub");
    }

    private Node term() {
        return binary(Level.FACTOR, "*", "Mult", "/", "Div", "//", "FloorDiv", "%", "Mod", "@", "MatMult");
    }

    private Node factor() {
        if (isOp("-") || isOp("+") || isOp("~")) {
            String op = switch (peek().text) {
                case "-" -> "USub";
                case "+" -> "UAdd";
                default -> "Invert";
            };
            p++;
            return new Node.Unary(op, factor());
        }
        return power();
    }

    private Node power() {
        Node base = primary();
        if (isOp("**")) {
            p++;
            Node exp = factor();
            return new Node.Other("BinOp", List.of(base, new Node.Op("Pow"), exp));
        }
        return base;
    }

    private Node primary() {
        Node n = atom();
        while (true) {
            if (isOp(".")) {
                p++;
                Tok t = peek();
                if (t.type != T.NAME) {
                    throw syntax("expected a name after '.' but found " + describe(t) + " at column " + (t.col + 1));
                }
                p++;
                n = new Node.Attr(n, t.text);
            } else if (isOp("(")) {
                p++;
                List<Node> children = new ArrayList<>(List.of(n));
                children.addAll(items(")"));
                n = new Node.Other("Call", children);
            } else if (isOp("[")) {
                p++;
                List<Node> idx = items("]");
                if (idx.isEmpty()) {
                    throw syntax("empty subscript at column " + (peek().col));
                }
                List<Node> children = new ArrayList<>(List.of(n));
                children.addAll(idx);
                n = new Node.Other("Subscript", children);
            } else {
                return n;
            }
        }
    }

    /** Comma-separated expressions up to {@code close} (consumed); dict/slice colons tolerated. */
    private List<Node> items(String close) {
        List<Node> out = new ArrayList<>();
        while (!isOp(close)) {
            out.add(expr());
            if (isOp(":")) {
                p++;
                out.add(expr());
            }
            if (isOp(",")) {
                p++;
            } else if (!isOp(close)) {
                Tok t = peek();
                throw syntax("expected ',' or '" + close + "' but found " + describe(t) + " at column " + (t.col + 1));
            }
        }
        p++;
        return out;
    }

    private Node atom() {
        Tok t = peek();
        switch (t.type) {
            case NUMBER -> {
                p++;
                return new Node.Const(t.value);
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder();
                while (peek().type == T.STRING) {
                    sb.append((String) peek().value);
                    p++;
                }
                return new Node.Const(sb.toString());
            }
            case NAME -> {
                String lower = t.text.toLowerCase(Locale.ROOT);
                switch (t.text) {
                    case "and", "or", "not", "in", "is", "if", "else", "lambda", "for" ->
                        throw syntax("invalid syntax: unexpected '" + t.text + "' at column " + (t.col + 1));
                    default -> {
                    }
                }
                p++;
                return switch (lower) {
                    case "true" -> new Node.Const(Boolean.TRUE);
                    case "false" -> new Node.Const(Boolean.FALSE);
                    case "none", "null" -> new Node.Const(null);
                    default -> new Node.Name(t.text);
                };
            }
            case OP -> {
                switch (t.text) {
                    case "(" -> {
                        p++;
                        if (isOp(")")) {
                            p++;
                            return new Node.Other("Tuple", List.of());
                        }
                        Node inner = expr();
                        if (isOp(")")) {
                            p++;
                            return inner;
                        }
                        if (isOp(",")) {
                            p++;
                            List<Node> rest = new ArrayList<>(List.of(inner));
                            rest.addAll(items(")"));
                            return new Node.Other("Tuple", rest);
                        }
                        Tok u = peek();
                        if (u.type == T.END) {
                            throw syntax("'(' at column " + (t.col + 1) + " was never closed");
                        }
                        throw syntax("expected ')' but found " + describe(u) + " at column " + (u.col + 1));
                    }
                    case "[" -> {
                        p++;
                        return new Node.Other("List", items("]"));
                    }
                    case "{" -> {
                        p++;
                        return new Node.Other("Dict", items("}"));
                    }
                    default -> throw syntax("invalid syntax: unexpected '" + t.text + "' at column " + (t.col + 1));
                }
            }
            default -> throw syntax("invalid syntax: unexpected end of expression");
        }
    }
}
