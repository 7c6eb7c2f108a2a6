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

export function addRow(list: HTMLElement, label: string, value: string, className?: string): void {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (className) dd.className = className;
  list.append(dt, dd);
}

export function showError(message: string): void {
  setText('error', message);
  show('error');
}
