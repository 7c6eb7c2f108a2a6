import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import {
  Address,
  PrivateKey,
  PublicKey,
  blsKeyGen,
  bytesToHex,
  decodeTransactionHex,
  derivePrivateKeyBytes,
  deriveWalletKey,
  encodeTransactionHex,
  mnemonicToSeed,
  parseAddressAnyNetwork,
  parsePrivateKey,
  parsePublicKey,
  signMessage,
  signTransaction,
  signBytes,
  transactionId,
  tryHexToBytes,
  verifyMessage,
  verifyTransaction,
  viewTransaction,
  walletPath,
  type Network,
} from '../../../pactus/index.js';
import { ByteReader, ByteWriter } from '../../../pactus/wire.js';
import { vectors } from '../../fixtures/vectors.js';

const hex = (h: string): Uint8Array => tryHexToBytes(h)!;

describe('key vectors', () => {
  for (const v of vectors.keys) {
    it(`${v.name}: private key -> public key -> addresses`, () => {
      const { key, network } = parsePrivateKey(v.privateKey);
      expect(network).toBe('mainnet');
      expect(key.scheme).toBe(v.scheme);
      if (v.privateKeyHex) expect(bytesToHex(key.bytes)).toBe(v.privateKeyHex);
      expect(key.toString('mainnet')).toBe(v.privateKey);
      if (v.privateKeyTestnet) {
        expect(key.toString('testnet')).toBe(v.privateKeyTestnet);
        expect(parsePrivateKey(v.privateKeyTestnet).network).toBe('testnet');
        expect(parsePrivateKey(v.privateKey.toLowerCase()).key.bytes).toEqual(key.bytes);
      }
      const pub = key.publicKey();
      expect(pub.toString('mainnet')).toBe(v.publicKey);
      if (v.publicKeyHex) expect(bytesToHex(pub.bytes)).toBe(v.publicKeyHex);
      if (v.publicKeyTestnet) expect(pub.toString('testnet')).toBe(v.publicKeyTestnet);
      expect(parsePublicKey(v.publicKey).key.bytes).toEqual(pub.bytes);
      expect(pub.accountAddress().toString('mainnet')).toBe(v.accountAddress);
      if (v.accountAddressHex) expect(pub.accountAddress().toHex()).toBe(v.accountAddressHex);
      if (v.accountAddressTestnet)
        expect(pub.accountAddress().toString('testnet')).toBe(v.accountAddressTestnet);
      if (v.validatorAddress) expect(pub.validatorAddress().toString('mainnet')).toBe(v.validatorAddress);
      if (v.validatorAddressHex) expect(pub.validatorAddress().toHex()).toBe(v.validatorAddressHex);
      if (v.validatorAddressTestnet)
        expect(pub.validatorAddress().toString('testnet')).toBe(v.validatorAddressTestnet);
    });

    it(`${v.name}: message signature "pactus"`, () => {
      const { key } = parsePrivateKey(v.privateKey);
      expect(verifyMessage(key.publicKey(), 'pactus', v.signatureOfMessage_pactus)).toBe(true);
      expect(verifyMessage(key.publicKey(), 'pactuS', v.signatureOfMessage_pactus)).toBe(false);
      expect(signMessage(key, 'pactus')).toBe(v.signatureOfMessage_pactus);
    });
  }

  it('addresses parse back to the same bytes and network', () => {
    for (const v of vectors.keys) {
      const parsed = parseAddressAnyNetwork(v.accountAddress);
      expect(parsed.network).toBe('mainnet');
      expect(parsed.address.toString('mainnet')).toBe(v.accountAddress);
    }
  });
});

describe('BLS primitives', () => {
  for (const v of vectors.blsKeyGen)
    it(`KeyGen(${v.ikmHex.slice(0, 8)}...)`, () => {
      expect(bytesToHex(blsKeyGen(hex(v.ikmHex)))).toBe(v.secretKeyHex);
    });

  it('aggregate signature', () => {
    const { privateKeys, message, aggregateSignatureHex } = vectors.blsAggregate;
    const sigs = privateKeys.map((k) => parsePrivateKey(k).key.sign(new TextEncoder().encode(message)));
    const agg = bls12_381.shortSignatures.aggregateSignatures(sigs);
    expect(bytesToHex(agg.toBytes(true))).toBe(aggregateSignatureHex);
  });

  it('hash to G1 (RFC 9380)', () => {
    const { dst, message, xHex } = vectors.hashToG1;
    const point = bls12_381.G1.hashToCurve(new TextEncoder().encode(message), { DST: dst });
    expect(point.toAffine().x.toString(16).padStart(96, '0')).toBe(xHex);
  });
});

describe('HD derivation', () => {
  for (const d of vectors.blsHd.derivations)
    it(`BLS ${d.path}`, () => {
      const sk = derivePrivateKeyBytes('bls', hex(vectors.blsHd.seedHex), d.path);
      expect(bytesToHex(sk)).toBe(d.privateKeyHex);
      if (d.publicKeyHex)
        expect(bytesToHex(PrivateKey.fromBytes('bls', sk).publicKey().bytes)).toBe(d.publicKeyHex);
    });

  it('Ed25519 SLIP-10', () => {
    const v = vectors.ed25519Slip10;
    expect(bytesToHex(derivePrivateKeyBytes('ed25519', hex(v.seedHex), v.path))).toBe(v.privateKeyHex);
  });

  for (const m of vectors.mnemonics) {
    it(`mnemonic "${m.mnemonic.slice(0, 20)}..."`, () => {
      const seed = mnemonicToSeed(m.mnemonic, m.passphrase);
      let checked = 0;
      const check = (
        entry: unknown,
        purpose: 'validator' | 'bls-account' | 'ed25519-account',
        network: Network,
      ) => {
        if (!entry) return;
        const e = entry as { path: string; address?: string; addresses?: string[]; privateKey0?: string };
        const list = e.addresses ?? [e.address!];
        list.forEach((address, i) => {
          expect(walletPath(purpose, network, i)).toBe(e.path.replace(/\/i('?)$/, `/${i}$1`));
          const key = deriveWalletKey(seed, purpose, network, i).publicKey();
          const got = purpose === 'validator' ? key.validatorAddress() : key.accountAddress();
          expect(got.toString(network)).toBe(address);
          checked++;
        });
        if (e.privateKey0)
          expect(deriveWalletKey(seed, purpose, network, 0).toString(network)).toBe(e.privateKey0);
      };
      check(m.mainnetBlsAccounts, 'bls-account', 'mainnet');
      check(m.mainnetEd25519Accounts, 'ed25519-account', 'mainnet');
      check(m.mainnetValidator0, 'validator', 'mainnet');
      check(m.testnetValidator0, 'validator', 'testnet');
      check(m.mainnetEd25519Account0, 'ed25519-account', 'mainnet');
      check(m.testnetEd25519Account0, 'ed25519-account', 'testnet');
      expect(checked).toBeGreaterThan(0);
    });
  }
});

describe('transaction vectors', () => {
  for (const v of vectors.transactions) {
    it(`${v.name}: decode, id, signature, re-encode`, () => {
      const tx = decodeTransactionHex(v.signedHex);
      const view = viewTransaction(tx, 'mainnet');
      expect(view).toMatchObject(v.decoded);
      expect(view.id).toBe(v.id);
      expect(transactionId(tx)).toBe(v.id);
      expect(view.signatureValid).toBe(v.signatureValid ?? true);
      expect(encodeTransactionHex(tx)).toBe(v.signedHex);
    });
    if (v.unsignedHex && v.signerPrivateKeyHex && v.signerScheme) {
      it(`${v.name}: signing the unsigned bytes reproduces the signed bytes`, () => {
        const unsigned = decodeTransactionHex(v.unsignedHex!);
        expect(viewTransaction(unsigned, 'mainnet').signatureValid).toBeNull();
        expect(transactionId(unsigned)).toBe(v.id);
        const key = PrivateKey.fromBytes(v.signerScheme!, hex(v.signerPrivateKeyHex!));
        expect(key.publicKey().accountAddress().toString('mainnet')).toBe(v.signerAddress);
        expect(encodeTransactionHex(signTransaction(unsigned, key))).toBe(v.signedHex);
      });
    }
  }

  const bls = parsePrivateKey(vectors.keys.find((k) => k.name === 'bls-000102')!.privateKey).key;
  const ed = parsePrivateKey(vectors.keys.find((k) => k.name === 'ed25519-000102')!.privateKey).key;
  for (const d of vectors.derivedTransactions.items) {
    it(`derived: ${d.title}`, () => {
      const unsigned = decodeTransactionHex(d.unsignedHex);
      expect(encodeTransactionHex(unsigned)).toBe(d.unsignedHex);
      expect(transactionId(unsigned)).toBe(d.id);
      const signed = decodeTransactionHex(d.signedHex);
      expect(transactionId(signed)).toBe(d.id);
      expect(verifyTransaction(signed)).toEqual({ valid: true });
      expect(encodeTransactionHex(signed)).toBe(d.signedHex);
      expect(signBytes(signed)).toEqual(signBytes(unsigned));
      const signer = signed.publicKey!.length === 96 ? bls : ed;
      expect(encodeTransactionHex(signTransaction(unsigned, signer))).toBe(d.signedHex);
    });
  }

  for (const bad of vectors.invalidTransactions)
    it(`rejects: ${bad.why}`, () => {
      expect(() => decodeTransactionHex(bad.hex)).toThrowError(
        expect.objectContaining({ name: 'CodecError' }),
      );
    });

  it('a signature from the wrong key is detected', () => {
    const v = vectors.transactions[0]!;
    const tx = decodeTransactionHex(v.signedHex);
    const tampered = { ...tx, signature: Uint8Array.from(tx.signature!, (b, i) => (i === 5 ? b ^ 1 : b)) };
    expect(verifyTransaction(tampered).valid).toBe(false);
    const otherKey = { ...tx, publicKey: bls.publicKey().bytes };
    expect(verifyTransaction(otherKey)).toEqual({ valid: false, reason: 'wrong-signer' });
  });
});

describe('varints', () => {
  for (const v of vectors.varints)
    it(`${v.value} <-> ${v.hex}`, () => {
      expect(bytesToHex(new ByteWriter().varint(BigInt(v.value)).finish())).toBe(v.hex);
      expect(new ByteReader(hex(v.hex)).varint('x')).toBe(BigInt(v.value));
    });
});

it('Address bytes round trip', () => {
  const v = vectors.keys[0]!;
  const a = Address.fromBytes(hex(v.accountAddressHex!));
  expect(a.toString('mainnet')).toBe(v.accountAddress);
  expect(PublicKey.fromBytes('bls', hex(v.publicKeyHex!)).accountAddress().equals(a)).toBe(true);
});
