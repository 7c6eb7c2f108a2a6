// ESLint rule: a periodic background pass is started only through db/background-pass.ts (BackgroundPass), which
// catches every failure, logs it once per outage, backs off and resumes. A pass started any other way is how a
// 10-second database restart once killed every bot process: `setInterval(() => void this.flush(), ms)` turned the
// first failed query into an unhandled rejection.
//
// Reported: setInterval in any form (global, globalThis., timers., node:timers/promises), and a setTimeout that
// reschedules the function it is in (a hand-made interval): setTimeout(run, ms) inside run, or
// setTimeout(() => ... run() ..., ms) / setTimeout(() => ... this.run() ..., ms) inside run.

/** Folders whose code runs in the bot's processes, where this rule applies (eslint.config.js). */
export const SERVER_FOLDERS = [
  'bot',
  'wallet',
  'rewards',
  'governance',
  'compute',
  'db',
  'chain',
  'contracts',
  'deployment',
  'agents',
  'signer-web/server',
];

/** The name a function is known by inside itself: its own, its variable's, its method's or property's. */
function nameOf(fn) {
  if (fn.id?.name) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (
    (parent?.type === 'MethodDefinition' ||
      parent?.type === 'Property' ||
      parent?.type === 'PropertyDefinition') &&
    parent.key.type === 'Identifier'
  )
    return parent.key.name;
  return null;
}

function calleeName(node) {
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier')
    return callee.property.name;
  return null;
}

/** Whether `node` (a callback) calls `name` or this.name anywhere inside, or is `name` itself. */
function callsItself(node, name, visitorKeys) {
  if (node.type === 'Identifier') return node.name === name;
  if (node.type === 'MemberExpression')
    return (
      node.object.type === 'ThisExpression' &&
      node.property.type === 'Identifier' &&
      node.property.name === name
    );
  let found = false;
  const visit = (n) => {
    if (found || !n || typeof n.type !== 'string') return;
    if (n.type === 'CallExpression') {
      const c = n.callee;
      if (
        (c.type === 'Identifier' && c.name === name) ||
        (c.type === 'MemberExpression' &&
          c.object.type === 'ThisExpression' &&
          c.property.type === 'Identifier' &&
          c.property.name === name)
      ) {
        found = true;
        return;
      }
    }
    for (const key of visitorKeys[n.type] ?? []) {
      const child = n[key];
      if (Array.isArray(child)) child.forEach(visit);
      else visit(child);
    }
  };
  visit(node.body ?? node);
  return found;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Periodic background work goes through BackgroundPass (db/background-pass.ts).' },
    messages: {
      interval:
        'A periodic pass started with setInterval: use BackgroundPass (db/background-pass.ts), which catches, logs once per outage, backs off and resumes.',
      reschedule:
        'A setTimeout that reschedules "{{name}}" is a periodic pass: use BackgroundPass (db/background-pass.ts), which catches, logs once per outage, backs off and resumes.',
    },
    schema: [],
  },
  create(context) {
    const visitorKeys = context.sourceCode.visitorKeys;
    const functions = [];
    const enter = (node) => functions.push(node);
    const leave = () => functions.pop();
    return {
      FunctionDeclaration: enter,
      'FunctionDeclaration:exit': leave,
      FunctionExpression: enter,
      'FunctionExpression:exit': leave,
      ArrowFunctionExpression: enter,
      'ArrowFunctionExpression:exit': leave,
      ImportDeclaration(node) {
        if (!/^(node:)?timers(\/promises)?$/.test(node.source.value)) return;
        for (const s of node.specifiers)
          if (s.type === 'ImportSpecifier' && s.imported.name === 'setInterval')
            context.report({ node: s, messageId: 'interval' });
      },
      CallExpression(node) {
        const name = calleeName(node);
        if (name === 'setInterval') {
          context.report({ node, messageId: 'interval' });
          return;
        }
        if (name !== 'setTimeout' || !node.arguments[0]) return;
        const callback = node.arguments[0];
        // Any function this call is inside may be the one rescheduled (the callback itself is not "inside").
        for (const fn of functions) {
          const own = nameOf(fn);
          if (own && callsItself(callback, own, visitorKeys)) {
            context.report({ node, messageId: 'reschedule', data: { name: own } });
            return;
          }
        }
      },
    };
  },
};
