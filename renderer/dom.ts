/**
 * The one way screens build DOM. Text always goes in through textContent: staff names, messages and reason
 * texts come from outside and may contain markup. There is deliberately no innerHTML path, and inline
 * `style` or `on*` attributes are refused because the CSP forbids them anyway.
 */
export interface ElProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

type Child = Node | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElProps = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  if (props.attrs) setAttrs(node, props.attrs);
  if (props.text !== undefined) node.textContent = props.text;
  for (const child of children) if (child) node.append(child);
  return node;
}

export function setAttrs(node: Element, attrs: Record<string, string>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || /^on/i.test(name)) throw new Error(`attribute ${name} is not allowed`);
    node.setAttribute(name, value);
  }
}

/** Sets text only when it changed, so in-place updates do not disturb screen readers or layout. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
  children: SVGElement[] = [],
): SVGElementTagNameMap[K] {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(node, attrs);
  for (const child of children) node.append(child);
  return node;
}
