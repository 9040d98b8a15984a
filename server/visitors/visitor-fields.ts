import { ParleyError } from '../../protocol/errors';
import { anonymousVisitorName } from '../../protocol/masking';
import {
  prechatFieldNames,
  type PrechatFieldName,
  type PrechatFieldsConfig,
  type VisitorFields,
} from '../../protocol/visitor-socket';

/*
 * What a visitor enters in the pre-chat form, as the group asks for it. Starting a chat, the
 * offline form and correcting one's details all apply the same rules.
 */

const fieldLabels: Record<PrechatFieldName, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  company: 'company',
  custom: 'reference',
};

/** Keeps the fields the group asks for (hidden ones are dropped, never stored) and checks required ones. */
export function collectFields(
  config: PrechatFieldsConfig,
  fields: VisitorFields,
  alsoRequired: PrechatFieldName[] = [],
): VisitorFields {
  const kept: VisitorFields = {};
  const missing: string[] = [];
  for (const name of prechatFieldNames) {
    const mode = alsoRequired.includes(name) ? 'required' : config[name];
    const value = fields[name]?.trim() ?? '';
    if (mode === 'hidden') continue;
    if (value !== '') kept[name] = value;
    else if (mode === 'required') missing.push(fieldLabels[name]);
  }
  if (missing.length > 0) throw new ParleyError('invalid_request', `Please fill in: ${missing.join(', ')}.`);
  return kept;
}

/** The name a visitor's chat is stored under. */
export const chatNameOf = (fields: VisitorFields): string => fields.name ?? anonymousVisitorName;
