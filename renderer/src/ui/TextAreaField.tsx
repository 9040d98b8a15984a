import type { TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame';

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: string | undefined;
}

/** Field's multi-line sibling: a labelled textarea with an optional hint. */
export function TextAreaField({ label, hint, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} control={(control) => <textarea {...control} {...textarea} />} />
  );
}
