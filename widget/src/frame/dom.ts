/*
 * Building the UI without markup strings: text goes in as text nodes only, so nothing a visitor,
 * an operator or the server writes can ever become HTML.
 */

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  /** Attributes, set verbatim; `true` sets an empty attribute, `false` leaves it out. */
  attrs?: Record<string, string | boolean>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const [name, listener] of Object.entries(props.on ?? {})) {
    node.addEventListener(name, listener as EventListener);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

let counter = 0;

/** A unique id for tying labels, descriptions and errors to their controls. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
