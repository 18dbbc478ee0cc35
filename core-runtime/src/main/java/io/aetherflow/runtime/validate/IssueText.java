package io.aetherflow.runtime.validate;

import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.spec.Issue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared JSON and text forms of issues. */
final class IssueText {

    private IssueText() {
    }

    /** {@code {code, loc, msg[, line, column]}}. */
    static Map<String, Object> json(Issue i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", i.code());
        m.put("loc", i.loc());
        m.put("msg", i.msg());
        if (i.line() > 0) {
            m.put("line", i.line());
            m.put("column", i.column());
        }
        return m;
    }

    /** {@code <mark> <loc>: <code> - <msg>[ (<file>:<line>:<col>)]}. */
    static String line(char mark, Issue i) {
        String where = i.line() > 0 ? i.where() : null;
        return mark + " " + Quote.escape(i.loc()) + ": " + i.code() + " - " + Quote.escape(i.msg().replace("\n", " "))
                + (where == null ? "" : " (" + Quote.escape(where) + ")");
    }

    /**
     * The text form of a report: {@code <verdict>: <flow file>}, then {@code - <loc>: <code> - <msg>}
     * per problem and {@code ! <loc>: <code> - <msg>} per warning (see {@link #line}).
     *
     * @param verdict e.g. {@code OK}, {@code INVALID}, {@code FAIL}
     * @return lines joined with newlines, ending with a newline
     */
    static String report(String verdict, String flowYaml, List<Issue> problems, List<Issue> warnings) {
        StringBuilder sb = new StringBuilder();
        sb.append(verdict).append(": ").append(flowYaml).append('\n');
        problems.forEach(i -> sb.append(line('-', i)).append('\n'));
        warnings.forEach(i -> sb.append(line('!', i)).append('\n'));
        return sb.toString();
    }
}
