import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import './menu-button.css';

export interface MenuItem {
  label: string;
  onSelect(): void;
  /** Drawn in the danger colour: it takes something away (access, sessions). */
  danger?: boolean;
}

interface MenuButtonProps {
  label: string;
  /** The button's accessible name when the visible label alone is ambiguous ("Actions for Anna"). */
  ariaLabel?: string;
  items: MenuItem[];
}

/**
 * A button that opens a short list of actions, as the ARIA menu button pattern describes: the
 * arrow keys, Home and End move, Enter chooses, Esc and Tab close. Focus goes back to the button
 * before an item acts, so a dialog the item opens returns focus there when it closes.
 */
export function MenuButton({ label, ariaLabel, items }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const wrapper = useRef<HTMLSpanElement>(null);

  const entries = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    entries()[0]?.focus();
    const closeOnOutsideClick = (event: MouseEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', closeOnOutsideClick);
    return () => document.removeEventListener('mousedown', closeOnOutsideClick);
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent) {
    const all = entries();
    const index = all.findIndex((entry) => entry === document.activeElement);
    const target =
      event.key === 'ArrowDown'
        ? all[(index + 1) % all.length]
        : event.key === 'ArrowUp'
          ? all[(index - 1 + all.length) % all.length]
          : event.key === 'Home'
            ? all[0]
            : event.key === 'End'
              ? all.at(-1)
              : undefined;
    if (target) {
      event.preventDefault();
      target.focus();
    } else if (event.key === 'Escape') {
      // Esc closes the menu only, not a dialog around it.
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  return (
    <span className="menu-button" ref={wrapper}>
      <button
        ref={button}
        type="button"
        className="secondary small"
        aria-label={ariaLabel}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open ? (
        <ul ref={menu} id={menuId} role="menu" aria-label={ariaLabel ?? label} onKeyDown={onMenuKeyDown}>
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={item.danger ? 'danger' : undefined}
                onClick={() => {
                  close();
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}
