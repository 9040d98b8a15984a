import type { InputHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: string | undefined;
}

/** A labelled input with an optional hint. */
export function Field({ label, hint, ...input }: FieldProps) {
  return <FieldFrame label={label} hint={hint} control={(control) => <input {...control} {...input} />} />;
}
