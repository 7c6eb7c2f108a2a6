// Addresses, keys, transaction ids and amounts reach a model only as placeholders, and come back exactly.
import { describe, expect, it } from 'vitest';
import { Placeholders } from '../../../agents/placeholders.js';
import { modelSchema } from '../../../agents/tools.js';
import { z } from 'zod';

const address = 'tpc1zxqxkuxwcrj9kxnhknhnvthhcd77edydvrqe65y';
const validator = 'tpc1pqn7uaeduklpg00rqt6uq0m9wy5txnyt0kmxmgf';
const txId = 'a'.repeat(64);

describe('placeholders', () => {
  it('masks addresses, ids and amounts, the same value always with the same name', () => {
    const p = new Placeholders();
    expect(p.mask(`send 1,000.5 PAC to ${address}, then 5k to ${address}`)).toBe(
      'send N1 PAC to A1, then N2 to A1',
    );
    expect(p.mask(`stake 1000 to ${validator} and check ${txId}`)).toBe('stake N3 to A2 and check T1');
    expect(p.mask('pip44 v2 and x1.5y stay as they are')).toBe('pip44 v2 and x1.5y stay as they are');
  });

  it('puts the exact originals back into a tool call, nested too', () => {
    const p = new Placeholders();
    p.mask(`send 0.5 PAC to ${address} and 2 to ${validator}`);
    expect(p.unmask({ to: 'A1', amount: 'N1', recipients: ['A2 N2'], n: 3 })).toEqual({
      ok: true,
      args: { to: address, amount: '0.5', recipients: [`${validator} 2`], n: 3 },
    });
  });

  it('refuses a placeholder the turn never had', () => {
    const p = new Placeholders();
    p.mask(`send 5 PAC to ${address}`);
    expect(p.unmask({ to: 'A2', amount: 'N1' })).toEqual({ ok: false, unknown: ['A2'] });
  });

  it('masks a word the person typed that looks like a placeholder too, in order, and gives it back as typed', () => {
    const message = `send 5 PAC to ${address} with memo A1 rent`;
    const p = new Placeholders();
    expect(p.mask(message)).toBe('send N1 PAC to A2 with memo A1 rent');
    expect(p.mask(`and A1 again, N7 too, for ${address}`)).toBe('and A1 again, N2 too, for A2');
    expect(p.unmask({ to: 'A2', amount: 'N1', memo: 'A1 rent', note: 'N2' })).toEqual({
      ok: true,
      args: { to: address, amount: '5', memo: 'A1 rent', note: 'N7' },
    });
    expect(p.unmask({ memo: 'A3' })).toEqual({ ok: false, unknown: ['A3'] });
  });

  it('number fields are strings for the model (N1 is a valid value), and numbers still pass', () => {
    const schema = modelSchema(z.object({ proposal: z.coerce.number().int(), note: z.string().optional() }));
    expect(schema.parse({ proposal: 'N1' })).toEqual({ proposal: 'N1' });
    expect(schema.parse({ proposal: 3 })).toEqual({ proposal: '3' });
  });
});
