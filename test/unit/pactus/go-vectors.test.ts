// Every vector the Go node's own tests assert (test/fixtures/go-vectors.json, pactus v1.16.0+11): what Go accepts we
// accept and decode to the same fields and ID; what Go refuses we refuse.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  AddressType,
  CodecError,
  PrivateKey,
  blsKeyGen,
  bytesToHex,
  decodeTransactionHex,
  derivePrivateKeyBytes,
  deriveWalletKey,
  encodeTransactionHex,
  isValidMnemonic,
  mnemonicToSeed,
  pacText,
  parseNodeAddress,
  parsePac,
  parsePath,
  parsePrivateKey,
  parsePublicKey,
  signBytes,
  signMessage,
  transactionId,
  tryHexToBytes,
  verifyMessage,
  viewTransaction,
  walletPath,
} from '../../../pactus/index.js';
import { decodeAddress } from '../../../pactus/tx.js';
import { main } from '../../../bot/cli/main.js';
import { goVectors as v } from '../../fixtures/go-vectors.js';

const hex = (h: string): Uint8Array => tryHexToBytes(h)!;

async function decodeCli(txHex: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['decode', '--network', 'mainnet', txHex], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

function expectRefused(txHex: string): void {
  expect(() => decodeTransactionHex(txHex)).toThrowError(CodecError);
}

describe('go vectors: transactions', () => {
  it('come from the pinned Go commit', () => {
    expect(v.source.describe).toMatch(/^v1\.16\.0/);
    expect(v.transactions.length).toBeGreaterThanOrEqual(8);
  });

  for (const t of v.transactions)
    it(`${t.name} (${t.src}) is ${t.valid ? 'accepted' : 'refused'}`, async () => {
      if (!t.valid) {
        expectRefused(t.hex);
        const { code, out, err } = await decodeCli(t.hex);
        expect(code).toBe(1);
        expect(out).toEqual([]);
        expect(err[0]).toMatch(/^error: invalid transaction: /);
        return;
      }
      const tx = decodeTransactionHex(t.hex);
      expect(transactionId(tx)).toBe(t.id);
      if (t.signBytes) expect(bytesToHex(signBytes(tx))).toBe(t.signBytes);
      expect(encodeTransactionHex(tx)).toBe(t.hex);
      expect(viewTransaction(tx, 'mainnet')).toEqual(t.fields);
      const { code, out } = await decodeCli(t.hex);
      expect(code).toBe(0);
      expect(JSON.parse(out[0]!)).toEqual(t.fields);
    });
});

describe('go vectors: the 45 payload decodings', () => {
  it('are all here', () => expect(v.payloads).toHaveLength(45));

  for (const p of v.payloads)
    it(`${p.name} (${p.src}) is ${p.tx.valid ? 'accepted' : 'refused'}`, async () => {
      if (!p.tx.valid) {
        expectRefused(p.tx.hex);
        expect((await decodeCli(p.tx.hex)).code).toBe(1);
        return;
      }
      const tx = decodeTransactionHex(p.tx.hex);
      expect(tx.payload.type).toBe(p.payloadType);
      expect(transactionId(tx)).toBe(p.tx.id);
      // Re-encodes byte for byte, as the Go test asserts for the payload.
      expect(encodeTransactionHex(tx)).toBe(p.tx.hex);
      expect(encodeTransactionHex(tx).endsWith(p.raw)).toBe(true);
      expect(viewTransaction(tx, 'mainnet')).toEqual(p.tx.fields);
      const { code, out } = await decodeCli(p.tx.hex);
      expect(code).toBe(0);
      expect(JSON.parse(out[0]!)).toEqual(p.tx.fields);
    });
});

describe('go vectors: addresses', () => {
  it('the treasury prints as 42 zeros, encodes as one byte and counts as an account', () => {
    const t = v.addresses.treasury;
    const address = parseNodeAddress(t.string, 'mainnet');
    expect(address.isTreasury()).toBe(true);
    expect(address.isAccount()).toBe(t.isAccount);
    expect(address.isValidator()).toBe(t.isValidator);
    expect(address.toString('mainnet')).toBe(t.string);
    expect(bytesToHex(decodeAddress(hex(t.bytesHex)).bytes)).toBe('00'.repeat(21));
  });

  for (const a of v.addresses.fromString)
    it(`from string "${a.string.slice(0, 24)}" (${a.src})`, () => {
      if (!a.valid) {
        expect(() => parseNodeAddress(a.string, 'mainnet')).toThrow();
        return;
      }
      const address = parseNodeAddress(a.string, 'mainnet');
      expect(address.toHex()).toBe(a.hex);
      expect(address.type).toBe(a.type);
      expect(address.toString('mainnet')).toBe(a.string_out);
    });

  for (const a of v.addresses.decoding)
    it(`decoding "${a.hex.slice(0, 12)}" (${a.src})`, () => {
      if (!a.valid) expect(() => decodeAddress(hex(a.hex))).toThrowError(CodecError);
      else expect(decodeAddress(hex(a.hex)).type).toBe(hex(a.hex)[0]);
    });

  it('account and validator types', () => {
    for (const a of v.addresses.types) {
      const address = parseNodeAddress(a.address, 'mainnet');
      expect([a.address, address.isAccount(), address.isValidator()]).toEqual([
        a.address,
        a.isAccount,
        a.isValidator,
      ]);
    }
    expect(AddressType.Treasury).toBe(0);
  });
});

describe('go vectors: keys', () => {
  for (const k of v.keys.encoding)
    it(`${k.scheme} key encoding, addresses and signature of "${k.message}"`, () => {
      const { key } = parsePrivateKey(k.prv);
      expect(bytesToHex(key.bytes)).toBe(k.prvHex);
      expect(key.toString('mainnet')).toBe(k.prv);
      const pub = key.publicKey();
      expect(pub.toString('mainnet')).toBe(k.pub);
      expect(bytesToHex(pub.bytes)).toBe(k.pubHex);
      expect(pub.accountAddress().toString('mainnet')).toBe(k.accountAddress);
      if (k.validatorAddress) expect(pub.validatorAddress().toString('mainnet')).toBe(k.validatorAddress);
      expect(signMessage(key, k.message)).toBe(k.sig);
      expect(verifyMessage(pub, k.message, k.sig)).toBe(true);
    });

  for (const s of v.keys.privateKeyStrings)
    it(`private key string "${s.string.slice(0, 20)}" (${s.src})`, () => {
      if (!s.valid) {
        expect(() => parsePrivateKey(s.string)).toThrow();
        return;
      }
      const { key } = parsePrivateKey(s.string);
      expect(bytesToHex(key.bytes)).toBe(s.hex);
      expect(key.toString('mainnet')).toBe(s.string_out);
    });

  for (const s of v.keys.publicKeyStrings)
    it(`public key string "${s.string.slice(0, 20)}" (${s.src})`, () => {
      if (!s.valid) expect(() => parsePublicKey(s.string)).toThrow();
      else expect(bytesToHex(parsePublicKey(s.string).key.bytes)).toBe(s.hex);
    });

  for (const g of v.keys.blsKeyGen)
    it(`BLS KeyGen of ${g.ikm.length / 2} bytes (${g.src})`, () => {
      if (!g.valid) expect(() => blsKeyGen(hex(g.ikm))).toThrow();
      else expect(bytesToHex(blsKeyGen(hex(g.ikm)))).toBe(g.sk);
    });

  for (const [i, e] of v.keys.ed25519Rfc8032.entries())
    it(`Ed25519 RFC 8032 test ${i + 1}`, () => {
      const key = PrivateKey.fromBytes('ed25519', hex(e.sk));
      expect(bytesToHex(key.publicKey().bytes)).toBe(e.pk);
      expect(bytesToHex(key.sign(hex(e.msg)))).toBe(e.sig);
      expect(ed25519.verify(hex(e.sig), hex(e.msg), hex(e.pk), { zip215: false })).toBe(true);
    });
});

describe('go vectors: PIP-23 message signatures', () => {
  for (const s of v.messageSignatures.sign)
    it(`sign "${s.message}" with ${s.privateKey.slice(0, 8)}`, () => {
      expect(signMessage(parsePrivateKey(s.privateKey).key, s.message)).toBe(s.signature);
    });
  for (const s of v.messageSignatures.verify)
    it(`verify ${s.isValid ? 'a valid' : 'an invalid'} signature by ${s.publicKey.slice(0, 8)}`, () => {
      expect(verifyMessage(parsePublicKey(s.publicKey).key, s.message, s.signature)).toBe(s.isValid);
    });
});

describe('go vectors: HD derivation', () => {
  const seed = hex(v.hd.seedHex);
  for (const d of v.hd.blsDerivation.vectors)
    it(`BLS ${d.path}`, () => {
      const sk = derivePrivateKeyBytes('bls', seed, d.path);
      expect(bytesToHex(sk)).toBe(d.privateKey);
      expect(bytesToHex(PrivateKey.fromBytes('bls', sk).publicKey().bytes)).toBe(d.publicKey);
    });
  for (const d of v.hd.ed25519Derivation.vectors)
    it(`Ed25519 ${d.path}`, () => {
      const sk = derivePrivateKeyBytes('ed25519', seed, d.path);
      expect(bytesToHex(sk)).toBe(d.privateKey);
      expect(bytesToHex(PrivateKey.fromBytes('ed25519', sk).publicKey().bytes)).toBe(d.publicKey);
    });
  for (const [scheme, list] of [
    ['bls', v.hd.blsMaster],
    ['ed25519', v.hd.ed25519Master],
  ] as const)
    for (const m of list)
      it(`${scheme} master of a ${m.seedHex.length / 2}-byte seed is ${m.valid ? 'derived' : 'refused'}`, () => {
        if (!m.valid) expect(() => derivePrivateKeyBytes(scheme, hex(m.seedHex), 'm')).toThrow(/seed/);
        else expect(bytesToHex(derivePrivateKeyBytes(scheme, hex(m.seedHex), 'm'))).toBe(m.privateKey);
      });
  it('Ed25519 refuses a non-hardened path', () => {
    const n = v.hd.ed25519NonHardened;
    expect(n.valid).toBe(false);
    expect(() => derivePrivateKeyBytes('ed25519', hex(n.seedHex), n.path)).toThrow(/hardened/);
  });
  for (const p of v.hd.pathStrings)
    it(`path "${p.string}"`, () => {
      if (!p.valid) expect(() => parsePath(p.string)).toThrow();
      else expect(parsePath(p.string)).toEqual(p.path);
    });
});

describe('go vectors: wallet', () => {
  const w = v.wallet;
  const seed = mnemonicToSeed(w.mnemonic, w.passphrase);
  it('BLS and Ed25519 accounts of the test mnemonic', () => {
    for (const a of w.blsAccounts) {
      expect(walletPath('bls-account', 'mainnet', a.index)).toBe(a.path);
      const key = deriveWalletKey(seed, 'bls-account', 'mainnet', a.index);
      expect(key.publicKey().accountAddress().toString('mainnet')).toBe(a.address);
    }
    for (const a of w.ed25519Accounts) {
      expect(walletPath('ed25519-account', 'mainnet', a.index)).toBe(a.path);
      const key = deriveWalletKey(seed, 'ed25519-account', 'mainnet', a.index);
      expect(key.publicKey().accountAddress().toString('mainnet')).toBe(a.address);
    }
  });
  it('paths by purpose', () => {
    for (const p of w.paths) expect(walletPath(p.purpose, p.network, p.index)).toBe(p.path);
  });
  for (const m of w.validateMnemonic)
    it(`mnemonic "${m.mnemonic.slice(0, 24)}" is ${m.valid ? 'valid' : 'invalid'}`, () => {
      expect(isValidMnemonic(m.mnemonic)).toBe(m.valid);
    });
});

describe('go vectors: amounts', () => {
  for (const f of v.amounts.format)
    it(`formats ${f.nanoPac} NanoPAC as "${f.text}"`, () => expect(pacText(BigInt(f.nanoPac))).toBe(f.text));
  for (const p of v.amounts.parse)
    it(`parses "${p.text}"`, () => {
      if (!p.valid) expect(() => parsePac(p.text)).toThrow();
      else expect(parsePac(p.text).toString()).toBe(p.nanoPac);
    });
});
