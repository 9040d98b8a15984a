import { useId } from 'react';

interface SelectProps<V extends string> {
  label: string;
  value: V;
  options: { value: V; label: string }[];
  onChange(value: V): void;
}

/** A labelled native select: keyboard and screen-reader behaviour come from the platform. */
export function Select<V extends string>({ label, value, options, onChange }: SelectProps<V>) {
  const id = useId();
  return (
    <span className="field-inline">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}
