import { describe, expect, it } from 'vitest';
import { defaultMaskingRules, maskValue, visitorMask } from '../../protocol/masking';

describe('partial masking', () => {
  it.each([
    ['email', 'max.mustermann@example.de', 'm•••@e•••.de'],
    ['email', 'a@b.co.uk', 'a•••@b•••.uk'],
    ['email', 'no-at-sign', 'n•••'],
    ['phone', '+49 170 1234512', '+49 ••• ••• 12'],
    ['phone', '+4917012345', '+49 ••• ••• 45'],
    ['phone', '0170 1234512', '••• ••• 12'],
    ['phone', '112', '••• •••'],
    ['name', 'Max  Mustermann', 'M••• M•••'],
    ['name', 'Ümit Öz', 'Ü••• Ö•••'],
    ['company', 'Bergmann Outdoor GmbH', 'B••• O••• G•••'],
    ['custom', 'Order 4711', 'O••• 4•••'],
  ] as const)('shows %s %s as %s', (field, value, shown) => {
    expect(maskValue(field, value, 'partial')).toBe(shown);
  });

  it('shows, hides, and treats an empty value as not given', () => {
    expect(maskValue('email', ' max@example.de ', 'show')).toBe('max@example.de');
    expect(maskValue('email', 'max@example.de', 'hidden')).toBeNull();
    expect(maskValue('name', '   ', 'partial')).toBeNull();
    expect(maskValue('name', undefined, 'show')).toBeNull();
  });
});

describe('a visitor mask', () => {
  const rules = { ...defaultMaskingRules, name: 'hidden', email: 'partial', phone: 'hidden' } as const;

  it('names the chat "Visitor" when the name is hidden and lists what a reveal could show', () => {
    const mask = visitorMask(rules, { name: 'Max Mustermann', email: 'max@example.de', company: 'ACME' });
    expect(mask.displayName).toBe('Visitor');
    expect(mask.fields).toEqual({
      name: null,
      email: 'm•••@e•••.de',
      phone: null,
      company: 'ACME',
      custom: null,
    });
    // Phone was not given: nothing to reveal.
    expect(mask.masked).toEqual(['name', 'email']);
  });

  it('replaces masked values in any case inside a text, the longest first', () => {
    const mask = visitorMask(rules, { name: 'Max', email: 'max@example.de', phone: '+49 170 1234512' });
    expect(mask.redact('MAX@Example.de, Max, +49 170 1234512 (max)')).toBe('m•••@e•••.de, •••, ••• (•••)');
  });

  it('leaves short values and shown fields in texts alone', () => {
    const mask = visitorMask(rules, { name: 'Al', company: 'ACME' });
    expect(mask.redact('Al from ACME')).toBe('Al from ACME');
    expect(mask.masked).toEqual(['name']);
  });

  it('treats regular-expression characters in a value literally', () => {
    const mask = visitorMask(rules, { email: 'a.b+c@x.de' });
    expect(mask.redact('a.b+c@x.de and aXb+c@x.de')).toBe('a•••@x•••.de and aXb+c@x.de');
  });
});
