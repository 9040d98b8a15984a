import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../protocol/errors';
import { addressInCidr, normaliseAddress, parseCidr } from '../../../protocol/cidr';
import { allowlistOf, checkAllowlist, type AllowlistRules } from '../../../protocol/allowlist';
import { anonymiseAddress, clientAddress } from '../../../server/auth/ip-rules';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, '10.0.0.0/8'],
    ['10.1.2.3/8', 4, '10.0.0.0/8'],
    ['192.168.1.77/24', 4, '192.168.1.0/24'],
    ['203.0.113.9', 4, '203.0.113.9/32'],
    ['0.0.0.0/0', 4, '0.0.0.0/0'],
    ['1.2.3.4/0', 4, '0.0.0.0/0'],
    ['10.0.0.0/08', 4, '10.0.0.0/8'],
    ['2001:db8::/32', 6, '2001:db8::/32'],
    ['2001:DB8:1234::5/32', 6, '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001/128', 6, '2001:db8::1/128'],
    ['2001:db8::1', 6, '2001:db8::1/128'],
    ['::/0', 6, '::/0'],
    ['::1', 6, '::1/128'],
    ['fe80::1/64', 6, 'fe80::/64'],
    ['2001:db8:0:1:0:0:0:1/128', 6, '2001:db8:0:1::1/128'],
    ['2001:0:0:1:0:0:0:1/128', 6, '2001:0:0:1::1/128'],
    ['2001:0:0:1:0:0:1:1/128', 6, '2001::1:0:0:1:1/128'],
    ['::ffff:10.0.0.0/104', 4, '10.0.0.0/8'],
    ['::ffff:10.1.2.3', 4, '10.1.2.3/32'],
    ['::ffff:0:0/96', 4, '0.0.0.0/0'],
    ['::ffff:0:0/80', 6, '::/80'],
  ])('reads %j as IPv%i %j', (text, version, canonical) => {
    expect(parseCidr(text)).toEqual({ version, text: canonical });
  });

  it.each([
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/ 8',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.0/8',
    '010.0.0.0/8',
    'fe80::1%eth0/64',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9/64',
    '2001:db8:::/32',
    '',
    '/8',
    'abc',
    ' 10.0.0.0/8',
    'localhost',
  ])('refuses %j', (text) => {
    expect(() => parseCidr(text)).toThrowError(
      expect.objectContaining({ code: 'invalid_request', message: `Not a valid CIDR range: "${text}"` }),
    );
    expect(() => parseCidr(text)).toThrow(ParleyError);
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['0:0:0:0:0:ffff:cb00:7107', '203.0.113.7'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::', '2001:db8::'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['FE80::ABCD%25', 'fe80::abcd'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['::0.0.0.1', '::1'],
  ])('writes %j as %j', (address, canonical) => {
    expect(normaliseAddress(address)).toBe(canonical);
  });

  it.each(['', 'abc', '1.2.3', '1.2.3.4%eth0', '10.0.0.0/8', '[::1]', '1.2.3.4:80', ' 1.2.3.4'])(
    'refuses %j',
    (address) => {
      expect(() => normaliseAddress(address)).toThrowError(
        expect.objectContaining({ code: 'invalid_request' }),
      );
    },
  );
});

describe('addressInCidr', () => {
  it.each([
    // IPv4
    ['10.200.3.4', '10.0.0.0/8', true],
    ['11.0.0.1', '10.0.0.0/8', false],
    ['9.255.255.255', '10.0.0.0/8', false],
    ['192.168.1.255', '192.168.1.0/24', true],
    ['192.168.2.0', '192.168.1.0/24', false],
    // host rules
    ['203.0.113.9', '203.0.113.9', true],
    ['203.0.113.10', '203.0.113.9', false],
    ['2001:db8::1', '2001:db8::1', true],
    ['2001:db8::2', '2001:db8::1', false],
    // IPv6, compressed and full forms on either side
    ['2001:0db8:0000::1', '2001:db8::/32', true],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:0db8:0000:0000:0000:0000:0000:0000/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48', true],
    ['2001:db8:abce::1', '2001:db8:abcd::/48', false],
    // IPv4-mapped addresses are IPv4
    ['::ffff:10.1.2.3', '10.0.0.0/8', true],
    ['::ffff:11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '::ffff:10.0.0.0/104', true],
    ['::ffff:10.1.2.3', '::ffff:10.0.0.0/104', true],
    // one family never matches the other
    ['::a01:203', '10.0.0.0/8', false],
    ['2001:db8::1', '0.0.0.0/0', false],
    ['10.1.2.3', '::/0', false],
    ['::ffff:10.1.2.3', '::/0', false],
    // /0
    ['1.2.3.4', '0.0.0.0/0', true],
    ['255.255.255.255', '0.0.0.0/0', true],
    ['2001:db8::1', '::/0', true],
    // zones are dropped from addresses
    ['fe80::1%eth0', 'fe80::/10', true],
  ])('%s in %s → %s', (address, cidr, expected) => {
    expect(addressInCidr(address, cidr)).toBe(expected);
  });

  it('takes a parsed Cidr as well as text', () => {
    expect(addressInCidr('10.1.2.3', parseCidr('10.9.9.9/8'))).toBe(true);
    expect(addressInCidr('11.1.2.3', parseCidr('10.9.9.9/8'))).toBe(false);
  });

  it('throws on an invalid address or range rather than guessing', () => {
    expect(() => addressInCidr('nonsense', '10.0.0.0/8')).toThrow(ParleyError);
    expect(() => addressInCidr('10.0.0.1', '10.0.0.0/33')).toThrow(ParleyError);
  });
});

describe('allowlistOf', () => {
  it('binds an operator by the global rules, their role’s and their own, not a colleague’s', () => {
    const rules = [
      { scope: 'global', subject: '', cidr: '203.0.113.0/24' },
      { scope: 'role', subject: 'agent', cidr: '10.0.0.0/8' },
      { scope: 'role', subject: 'admin', cidr: '192.0.2.0/24' },
      { scope: 'operator', subject: 'op-1', cidr: '10.1.0.0/16' },
      { scope: 'operator', subject: 'op-2', cidr: '10.2.0.0/16' },
    ] as const;
    expect(allowlistOf(rules, { id: 'op-1', role: 'agent' })).toEqual({
      global: ['203.0.113.0/24'],
      role: ['10.0.0.0/8'],
      operator: ['10.1.0.0/16'],
    });
    expect(allowlistOf(rules, { id: 'op-3', role: 'lead' })).toEqual({
      global: ['203.0.113.0/24'],
      role: [],
      operator: [],
    });
  });
});

describe('checkAllowlist', () => {
  const open: AllowlistRules = { global: [], role: [], operator: [] };
  const office = '203.0.113.0/24';
  const officeV6 = '2001:db8:abcd::/48';
  const vpn = '10.8.0.0/16';

  it('allows everything when no list is set', () => {
    expect(checkAllowlist('198.51.100.1', open)).toEqual({ allowed: true });
    expect(checkAllowlist('2001:db8::1', open)).toEqual({ allowed: true });
  });

  it('allows an address matching any entry of a list', () => {
    const rules = { ...open, global: [office, officeV6, vpn] };
    expect(checkAllowlist('203.0.113.50', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('10.8.3.3', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('2001:db8:abcd:1::9', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('::ffff:203.0.113.50', rules)).toEqual({ allowed: true });
  });

  it.each<[string, AllowlistRules]>([
    ['global', { ...open, global: [office] }],
    ['role', { ...open, role: [office] }],
    ['operator', { ...open, operator: [office] }],
  ])('refuses an address outside a non-empty %s list, naming it', (reason, rules) => {
    expect(checkAllowlist('198.51.100.1', rules)).toEqual({ allowed: false, reason });
    expect(checkAllowlist('2001:db8::1', rules)).toEqual({ allowed: false, reason });
    expect(checkAllowlist('203.0.113.1', rules)).toEqual({ allowed: true });
  });

  it('requires every non-empty list to match', () => {
    const rules: AllowlistRules = {
      global: ['203.0.113.0/24', '198.51.100.0/24'],
      role: ['203.0.113.0/25'],
      operator: ['203.0.113.7', '2001:db8::/32'],
    };
    expect(checkAllowlist('203.0.113.7', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('::ffff:203.0.113.7', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('192.0.2.1', rules)).toEqual({ allowed: false, reason: 'global' });
    expect(checkAllowlist('198.51.100.7', rules)).toEqual({ allowed: false, reason: 'role' });
    expect(checkAllowlist('203.0.113.200', rules)).toEqual({ allowed: false, reason: 'role' });
    expect(checkAllowlist('203.0.113.8', rules)).toEqual({ allowed: false, reason: 'operator' });
  });

  it('skips empty lists between non-empty ones', () => {
    const rules: AllowlistRules = { global: [office], role: [], operator: ['203.0.113.7'] };
    expect(checkAllowlist('203.0.113.7', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('203.0.113.8', rules)).toEqual({ allowed: false, reason: 'operator' });
  });

  it('lets a /0 list admit its whole family and nothing else', () => {
    const rules = { ...open, global: ['0.0.0.0/0'] };
    expect(checkAllowlist('198.51.100.1', rules)).toEqual({ allowed: true });
    expect(checkAllowlist('2001:db8::1', rules)).toEqual({ allowed: false, reason: 'global' });
  });
});

describe('clientAddress', () => {
  const proxies = ['10.0.0.0/8', 'fd00::/8'];

  it('is the peer when no proxy is trusted', () => {
    expect(clientAddress('198.51.100.1', undefined, [])).toBe('198.51.100.1');
  });

  it('ignores X-Forwarded-For from an untrusted peer (spoof attempt)', () => {
    expect(clientAddress('198.51.100.1', '203.0.113.7', [])).toBe('198.51.100.1');
    expect(clientAddress('198.51.100.1', '10.0.0.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('198.51.100.1', ['203.0.113.7', '10.0.0.2'], proxies)).toBe('198.51.100.1');
  });

  it('honours X-Forwarded-For from a trusted proxy', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('fd00::1', '2001:db8::7', proxies)).toBe('2001:db8::7');
  });

  it('treats a mapped peer address like its IPv4 form', () => {
    expect(clientAddress('::ffff:10.0.0.1', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:198.51.100.1', undefined, [])).toBe('198.51.100.1');
  });

  it('walks from the right past every trusted hop to the first stranger', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.7, 10.0.0.3, 10.0.0.2', proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.1', '203.0.113.7,fd00::5', proxies)).toBe('203.0.113.7');
  });

  it('stops at the first stranger, whatever that stranger claims', () => {
    // The client itself sent "6.6.6.6"; only 203.0.113.7 was seen by our proxy.
    expect(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.1', '10.0.0.9, 203.0.113.7', proxies)).toBe('203.0.113.7');
  });

  it('reads repeated headers in order', () => {
    expect(clientAddress('10.0.0.1', ['6.6.6.6, 203.0.113.7', '10.0.0.3'], proxies)).toBe('203.0.113.7');
  });

  it('is the last trusted hop when every hop is trusted', () => {
    expect(clientAddress('10.0.0.1', '10.0.0.3, 10.0.0.2', proxies)).toBe('10.0.0.3');
  });

  it('is the peer when a trusted proxy sends no or an empty header', () => {
    expect(clientAddress('10.0.0.1', undefined, proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', [], proxies)).toBe('10.0.0.1');
  });

  it('stops at a malformed entry and keeps the last trusted hop', () => {
    expect(clientAddress('10.0.0.1', 'garbage', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '203.0.113.7, garbage', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '203.0.113.7, not-an-ip, 10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.1', '203.0.113.7, , 10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.1', '203.0.113.7:4711', proxies)).toBe('10.0.0.1');
  });

  it('returns normalised addresses', () => {
    expect(clientAddress('10.0.0.1', ' ::FFFF:203.0.113.7 ', proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.1', '2001:0DB8:0000::7', proxies)).toBe('2001:db8::7');
    expect(clientAddress('FE80::1%eth0', undefined, [])).toBe('fe80::1');
  });

  it('throws on an invalid peer address or proxy range', () => {
    expect(() => clientAddress('nonsense', undefined, [])).toThrow(ParleyError);
    expect(() => clientAddress('10.0.0.1', undefined, ['10.0.0.0/33'])).toThrow(ParleyError);
  });
});

describe('anonymiseAddress', () => {
  it.each([
    ['203.0.113.77', 'full', '203.0.113.77'],
    ['203.0.113.77', 'truncated', '203.0.113.0'],
    ['203.0.113.77', 'none', null],
    ['::ffff:203.0.113.77', 'full', '203.0.113.77'],
    ['::ffff:203.0.113.77', 'truncated', '203.0.113.0'],
    ['::ffff:203.0.113.77', 'none', null],
    ['2001:0db8:abcd:0012:0000:0000:0000:0001', 'full', '2001:db8:abcd:12::1'],
    ['2001:db8:abcd:12::1', 'truncated', '2001:db8:abcd::'],
    ['2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', 'truncated', '2001:db8:abcd::'],
    ['2001:db8::1', 'none', null],
    ['fe80::1%eth0', 'truncated', 'fe80::'],
  ] as const)('%s under %s → %s', (address, policy, expected) => {
    expect(anonymiseAddress(address, policy)).toBe(expected);
  });
});
