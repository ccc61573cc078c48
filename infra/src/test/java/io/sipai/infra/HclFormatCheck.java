package io.sipai.infra;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout rules of {@code terraform fmt} that a hand-written file can break: two-space indentation
 * by bracket nesting and aligned {@code =} within runs of single-line attributes. This is a port of
 * the indentation and alignment passes of HashiCorp's hclwrite formatter (formatIndent and
 * formatCells); CI still runs the real {@code terraform fmt -check}.
 */
final class HclFormatCheck {

    private HclFormatCheck() {
    }

    static List<String> check(String name, String text) {
        List<String> findings = new ArrayList<>();
        if (!text.endsWith("\n") || text.endsWith("\n\n")) {
            findings.add(name + ": file must end with exactly one newline");
        }
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        List<Integer> indents = new ArrayList<>();
        List<int[]> chain = new ArrayList<>();
        boolean inHeredoc = false;
        String heredocEnd = null;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (inHeredoc) {
                if (line.strip().equals(heredocEnd)) {
                    inHeredoc = false;
                }
                closeChain(name, lines, chain, findings);
                continue;
            }
            if (line.contains("\t")) {
                findings.add(name + ":" + lineNo + ": tab character");
            }
            if (!line.equals(line.stripTrailing())) {
                findings.add(name + ":" + lineNo + ": trailing whitespace");
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                closeChain(name, lines, chain, findings);
                continue;
            }
            String code = code(line);
            int heredoc = code.indexOf("<<");
            if (heredoc >= 0) {
                String marker = code.substring(heredoc + 2).replace("-", "").strip();
                inHeredoc = true;
                heredocEnd = marker;
            }
            int net = net(code);
            int expected;
            if (net > 0) {
                expected = 2 * indents.size();
                indents.add(net);
            } else if (net < 0) {
                int closed = -net;
                while (closed > 0 && !indents.isEmpty()) {
                    int top = indents.get(indents.size() - 1);
                    if (closed > top) {
                        closed -= top;
                        indents.remove(indents.size() - 1);
                    } else if (closed < top) {
                        indents.set(indents.size() - 1, top - closed);
                        closed = 0;
                    } else {
                        indents.remove(indents.size() - 1);
                        closed = 0;
                    }
                }
                expected = 2 * indents.size();
            } else {
                expected = 2 * indents.size();
            }
            int actual = line.length() - line.stripLeading().length();
            if (actual != expected) {
                findings.add(name + ":" + lineNo + ": indented " + actual + " spaces, terraform fmt wants " + expected);
            }
            int eq = trimmed.startsWith("#") || trimmed.startsWith("//") ? -1 : assignment(code);
            if (eq > 0 && net(code.substring(eq)) == 0) {
                chain.add(new int[] {i, eq});
            } else {
                closeChain(name, lines, chain, findings);
            }
        }
        closeChain(name, lines, chain, findings);
        return findings;
    }

    private static void closeChain(String name, String[] lines, List<int[]> chain, List<String> findings) {
        if (chain.isEmpty()) {
            return;
        }
        int widest = 0;
        for (int[] entry : chain) {
            widest = Math.max(widest, lines[entry[0]].substring(0, entry[1]).stripTrailing().length());
        }
        for (int[] entry : chain) {
            String line = lines[entry[0]];
            if (entry[1] != widest + 1) {
                findings.add(name + ":" + (entry[0] + 1) + ": '=' at column " + (entry[1] + 1)
                        + ", terraform fmt aligns it at column " + (widest + 2));
            } else if (entry[1] + 1 < line.length() && (line.charAt(entry[1] + 1) != ' '
                    || (entry[1] + 2 < line.length() && line.charAt(entry[1] + 2) == ' '))) {
                findings.add(name + ":" + (entry[0] + 1) + ": exactly one space after '='");
            }
        }
        chain.clear();
    }

    /** The line with string contents masked (same length) and any comment cut off. */
    static String code(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\' && i + 1 < line.length()) {
                    out.append("xx");
                    i++;
                } else if (c == '"') {
                    inString = false;
                    out.append('"');
                } else {
                    out.append('x');
                }
            } else if (c == '"') {
                inString = true;
                out.append('"');
            } else if (c == '#' || (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/')) {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int net(String code) {
        int n = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                n++;
            } else if (c == ')' || c == ']' || c == '}') {
                n--;
            }
        }
        return n;
    }

    private static int assignment(String code) {
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) != '=') {
                continue;
            }
            char prev = i > 0 ? code.charAt(i - 1) : ' ';
            char next = i + 1 < code.length() ? code.charAt(i + 1) : ' ';
            if (prev == '=' || prev == '!' || prev == '<' || prev == '>' || next == '=' || next == '>') {
                continue;
            }
            return i == 0 ? -1 : i;
        }
        return -1;
    }
}
