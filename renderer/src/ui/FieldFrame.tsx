import { useId, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
}

/** A label, a control and an optional hint, tied together so screen readers announce them as one. */
export function FieldFrame(props: {
  label: string;
  hint?: string | undefined;
  control: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const { label, hint } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {props.control({ id, 'aria-describedby': hint ? `${id}-hint` : undefined })}
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
