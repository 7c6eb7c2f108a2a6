// Every piece of text reaches the DOM through textContent: memos and other untrusted strings stay inert.
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

export function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

export function show(id: string, visible = true): void {
  byId(id).hidden = !visible;
}

function element(tag: string, text: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * An address in groups of four after its prefix ("tpc1 z5n4 h3j9 …"), so a phone wraps it between groups instead
 * of leaving a lone "kz" on a line. The groups are spans spaced by CSS: copying still gives the exact address.
 */
export function addressNode(address: string): HTMLElement {
  const node = document.createElement('span');
  node.className = 'address';
  const split = address.indexOf('1') + 1;
  const groups = [address.slice(0, split), ...(address.slice(split).match(/.{1,4}/g) ?? [])];
  for (const group of groups) node.append(element('span', group));
  return node;
}

export function addRow(
  list: HTMLElement,
  label: string,
  value: string | Node[],
  className?: string,
): HTMLElement {
  const dt = element('dt', label);
  const dd = document.createElement('dd');
  if (typeof value === 'string') dd.textContent = value;
  else dd.append(...value);
  if (className) dd.className = className;
  list.append(dt, dd);
  return dd;
}

export function note(text: string, className: string): HTMLElement {
  return element('span', text, className);
}

/** Shows an error where the person is looking (scrolled into view and focused) and announces it (role=alert). */
export function showError(message: string): void {
  const box = byId('error');
  box.textContent = message;
  box.hidden = false;
  box.scrollIntoView({ block: 'center', behavior: 'instant' });
  box.focus({ preventScroll: true });
}
