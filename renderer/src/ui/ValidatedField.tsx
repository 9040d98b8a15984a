import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { FieldFrame, type ControlProps } from './FieldFrame';
import './validated-field.css';

export interface ValidatedControlProps extends ControlProps {
  'aria-invalid': true | undefined;
}

interface ValidatedFrameProps {
  label: string;
  hint?: string | undefined;
  /** Shown under the control and read with it; undefined while the value is fine. */
  error?: string | undefined;
  control: (control: ValidatedControlProps) => ReactNode;
}

/**
 * FieldFrame plus the reason a value is refused, right under the control: the control is marked
 * invalid and describes itself with the hint and the error, so focusing it reads both.
 */
export function ValidatedFieldFrame({ label, hint, error, control }: ValidatedFrameProps) {
  const errorId = useId();
  return (
    <div className="field-validated">
      <FieldFrame
        label={label}
        hint={hint}
        control={(frame) =>
          control({
            ...frame,
            'aria-describedby':
              [frame['aria-describedby'], error ? errorId : undefined].filter(Boolean).join(' ') || undefined,
            'aria-invalid': error ? true : undefined,
          })
        }
      />
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & Omit<ValidatedFrameProps, 'control'>;

/** Field with a validation error. */
export function ValidatedField({ label, hint, error, ...input }: InputProps) {
  return (
    <ValidatedFieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(control) => <input {...control} {...input} />}
    />
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> &
  Omit<ValidatedFrameProps, 'control'>;

/** TextAreaField with a validation error. */
export function ValidatedTextArea({ label, hint, error, ...textarea }: TextAreaProps) {
  return (
    <ValidatedFieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(control) => <textarea {...control} {...textarea} />}
    />
  );
}
