import { useId } from 'react';

interface SelectProps<V extends string> {
  label: string;
  value: V;
  options: { value: V; label: string; disabled?: boolean }[];
  onChange(value: V): void;
  /** For screen readers only, where the choices speak for themselves (a status next to its dot). */
  labelHidden?: boolean;
  disabled?: boolean;
}

/** A labelled native select: keyboard and screen-reader behaviour come from the platform. */
export function Select<V extends string>({
  label,
  value,
  options,
  onChange,
  labelHidden = false,
  disabled = false,
}: SelectProps<V>) {
  const id = useId();
  return (
    <span className="field-inline">
      <label htmlFor={id} className={labelHidden ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}
