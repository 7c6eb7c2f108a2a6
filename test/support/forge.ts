// Forgeries generated from a real bundle: every leaf value changed in a way its type allows, every object replaced by
// null, every list item dropped, duplicated and swapped with its neighbour. Each case names the path it touched, so
// a failing assertion says which field a verifier let through.

export interface Forgery {
  name: string;
  value: unknown;
}

type Path = (string | number)[];

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function setAt(root: unknown, path: Path, value: unknown): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function editList(root: unknown, path: Path, edit: (list: unknown[]) => void): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node: unknown = copy;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  edit(node as unknown[]);
  return copy;
}

/** A different value of the same kind: another hex digit, one more, one letter changed, the other boolean. */
export function mutateLeaf(value: unknown): unknown[] {
  return [...new Set(variants(value))].filter((v) => v !== value);
}

function variants(value: unknown): unknown[] {
  if (typeof value === 'number') return [value + 1, value === 0 ? 100 : value * 100];
  if (typeof value === 'boolean') return [!value];
  if (typeof value !== 'string') return [];
  if (/^[0-9]+$/.test(value)) return [(BigInt(value) + 1n).toString(), (BigInt(value) * 10n).toString()];
  if (/^[0-9a-f]+$/.test(value) && value.length >= 8) {
    const i = value.length >> 1;
    return [`${value.slice(0, i)}${value[i] === '0' ? '1' : '0'}${value.slice(i + 1)}`];
  }
  if (value === '') return ['x'];
  const i = value.length >> 1;
  const c = value[i]!;
  return [`${value.slice(0, i)}${c === 'a' ? 'b' : 'a'}${value.slice(i + 1)}`];
}

/**
 * Every single-field and single-item forgery of `root`. Where `oneVariant` says so (the many like fields of a long
 * list), a leaf gets one changed value rather than each kind of change.
 */
export function forgeries(root: unknown, oneVariant: (path: Path) => boolean = () => false): Forgery[] {
  const out: Forgery[] = [];
  const walk = (node: unknown, path: Path) => {
    const name = path.length ? path.join('.') : '(top)';
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        out.push({ name: `${name}[${i}] dropped`, value: editList(root, path, (l) => l.splice(i, 1)) });
        out.push({
          name: `${name}[${i}] duplicated`,
          value: editList(root, path, (l) => l.splice(i, 0, clone(item))),
        });
        if (i + 1 < node.length && JSON.stringify(item) !== JSON.stringify(node[i + 1]))
          out.push({
            name: `${name}[${i}] and [${i + 1}] swapped`,
            value: editList(root, path, (l) => l.splice(i, 2, l[i + 1], l[i])),
          });
        walk(item, [...path, i]);
      });
    } else if (node !== null && typeof node === 'object') {
      if (path.length) out.push({ name: `${name} = null`, value: setAt(root, path, null) });
      for (const [key, child] of Object.entries(node)) {
        // Keys that are data (an address or a hash naming an entry of a map): removed, and renamed.
        if (/^[0-9a-z]{20,}$/.test(key)) {
          const without = (o: Record<string, unknown>) =>
            Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
          out.push({
            name: `${name}.${key.slice(0, 12)}… removed`,
            value: setAt(root, path, without(node as Record<string, unknown>)),
          });
          const renamed = mutateLeaf(key)[0] as string;
          out.push({
            name: `${name}.${key.slice(0, 12)}… renamed`,
            value: setAt(root, path, { ...without(node as Record<string, unknown>), [renamed]: child }),
          });
        }
        walk(child, [...path, key]);
      }
    } else
      for (const changed of mutateLeaf(node).slice(0, oneVariant(path) ? 1 : undefined))
        out.push({
          name: `${name} = ${JSON.stringify(changed).slice(0, 40)}`,
          value: setAt(root, path, changed),
        });
  };
  walk(root, []);
  return out;
}
