// Lint rules, including the folder rules of ARCHITECTURE.md (arrows only point down).
import tseslint from 'typescript-eslint';
import js from '@eslint/js';
import backgroundPasses, { SERVER_FOLDERS } from './eslint-rules/background-passes.js';

const noNode = {
  group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'],
  message: 'pactus/ and the signer page are browser-safe: no Node built-ins.',
};
const upward = (...folders) =>
  folders.map((f) => ({
    group: [`**/${f}/*`, `**/${f}`],
    message: `Arrows point down ARCHITECTURE.md's table: do not import ${f}/ here.`,
  }));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'signer-web/dist/', 'coverage/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    // The database is async on both stores: a query or transaction that is not awaited runs outside the order
    // (and the transaction) the code reads as, so promises must be awaited, returned or explicitly voided.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // One mechanism for background passes (db/background-pass.ts): no periodic timer anywhere else.
    files: SERVER_FOLDERS.map((f) => `${f}/**/*.ts`),
    ignores: ['db/background-pass.ts'],
    plugins: { local: { rules: { 'background-passes': backgroundPasses } } },
    rules: { 'local/background-passes': 'error' },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js', '.ci/**/*.js', 'eslint-rules/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['pactus/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noNode,
            { regex: '^(?!@noble/|@scure/|\\.)', message: 'pactus/ imports only @noble/* and @scure/*.' },
            ...upward(
              'chain',
              'devnet',
              'db',
              'wallet',
              'governance',
              'rewards',
              'compute',
              'agents',
              'bot',
              'signer-web',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['signer-web/page/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noNode,
            { regex: '^(?!\\.)', message: 'The signer page imports pactus/ only (bundled by esbuild).' },
            ...upward(
              'chain',
              'devnet',
              'db',
              'wallet',
              'governance',
              'rewards',
              'compute',
              'agents',
              'bot',
              'server',
            ),
          ],
        },
      ],
    },
  },
  {
    // chain/ talks to nodes; devnet/ is a node. Neither knows the bot's domain.
    files: ['chain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: upward(
            'devnet',
            'db',
            'wallet',
            'governance',
            'rewards',
            'compute',
            'contracts',
            'agents',
            'bot',
            'signer-web',
          ),
        },
      ],
    },
  },
  {
    files: ['devnet/**/*.ts', 'db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: upward(
            'wallet',
            'governance',
            'rewards',
            'compute',
            'contracts',
            'agents',
            'bot',
            'signer-web',
          ),
        },
      ],
    },
  },
  {
    files: ['contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: upward('wallet', 'governance', 'rewards', 'agents', 'bot', 'signer-web') },
      ],
    },
  },
  {
    // The deployment's identity sits under the domain folders that name it in their bundles (governance/, compute/):
    // they import it, it imports none of them. Its verification modules are pure, as pactus/ is.
    files: ['deployment/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: upward('governance', 'rewards', 'compute', 'contracts', 'agents', 'bot', 'signer-web') },
      ],
    },
  },
  {
    files: [
      'deployment/canonical.ts',
      'deployment/anchors.ts',
      'deployment/manifest.ts',
      'deployment/shape.ts',
      'deployment/stake.ts',
      'deployment/verify.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noNode,
            {
              regex: '^(?!@noble/|@scure/|zod$|\\.)',
              message: "deployment/'s verification modules are pure: pactus/, zod.",
            },
            ...upward('chain', 'devnet', 'db', 'wallet', 'governance', 'rewards', 'compute', 'agents', 'bot'),
          ],
        },
      ],
    },
  },
  {
    files: ['wallet/**/*.ts', 'governance/**/*.ts', 'rewards/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: upward('agents', 'bot', 'signer-web') }] },
  },
  {
    files: ['agents/**/*.ts', 'signer-web/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: upward('bot') }] },
  },
  {
    // Domain folders reach each other through hooks wired in bot/app.ts, not imports.
    files: ['governance/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: upward('agents', 'bot', 'signer-web', 'compute', 'rewards') },
      ],
    },
  },
  {
    files: ['compute/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: upward('agents', 'bot', 'signer-web', 'governance', 'rewards') },
      ],
    },
  },
);
