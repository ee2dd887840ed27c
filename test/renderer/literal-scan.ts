/**
 * Heuristic scan for on-screen text written as a literal in renderer code instead of coming from t(...) or
 * from view data. It strips comments, then flags a string literal (quotes or backticks, with `${…}` parts
 * removed) that contains a letter of any script (\p{L}) when it is:
 *   - assigned to textContent, innerText, title, placeholder, alt, ariaLabel, or value;
 *   - the value of setAttribute('title' | 'alt' | 'placeholder' | 'aria-label' | 'aria-description', …);
 *   - the `text:` property of el() props, or an attrs entry named alt/title/placeholder/aria-label;
 *   - the text argument of setText(node, …) or notice(…).
 * Literals without letters (★, ☆, ·, digits) pass: they are symbols, not language. Text built by calling
 * t() or read from the view is an expression, not a literal, so it passes. The heuristic cannot see text
 * routed through a variable first; review catches that, and the e2e test looks at the real screen.
 */
export interface LiteralFinding {
  line: number;
  text: string;
}

const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|` + '`(?:[^`\\\\]|\\\\.)*`)';
const SINKS = [
  String.raw`\.(?:textContent|innerText|title|placeholder|alt|ariaLabel|value)\s*=\s*` + LITERAL,
  String.raw`setAttribute\(\s*['"](?:title|alt|placeholder|aria-label|aria-description)['"]\s*,\s*` + LITERAL,
  String.raw`\btext\s*:\s*` + LITERAL,
  String.raw`['"]?(?:alt|title|placeholder|aria-label)['"]?\s*:\s*` + LITERAL,
  String.raw`\bsetText\([^,]+,\s*` + LITERAL,
  String.raw`\bnotice\(\s*` + LITERAL,
].map((source) => new RegExp(source, 'gu'));

export function stripComments(source: string): string {
  // Keeps line numbers: comments become spaces, newlines survive.
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

export function findLiteralText(source: string): LiteralFinding[] {
  const code = stripComments(source);
  const findings: LiteralFinding[] = [];
  for (const sink of SINKS) {
    for (const match of code.matchAll(sink)) {
      const literal = (match[1] ?? '').slice(1, -1).replace(/\$\{[^}]*\}/g, '');
      if (/\p{L}/u.test(literal)) {
        findings.push({ line: code.slice(0, match.index).split('\n').length, text: match[0] });
      }
    }
  }
  return findings;
}
