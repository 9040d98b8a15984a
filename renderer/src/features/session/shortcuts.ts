import { useEffect } from 'react';
import { useSessionStore } from './store';

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);
/** Cmd on macOS, Ctrl elsewhere; either works everywhere, so a habit from the other system still does. */
const commandKey = isMac ? '⌘' : 'Ctrl';
const command = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;

function isTextEntry(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export type ShortcutAction =
  'acceptNext' | 'nextChat' | 'previousChat' | 'endChat' | 'focusComposer' | 'focusQueue' | 'help';

interface Binding {
  action: ShortcutAction;
  /** As shown in the help dialog and tooltips. */
  keys: string[];
  matches(event: KeyboardEvent): boolean;
}

/** The one table of workspace shortcuts: the handler and the help dialog both read it. */
export const bindings: Binding[] = [
  {
    action: 'acceptNext',
    keys: [commandKey, 'Shift', 'A'],
    matches: (event) => command(event) && event.shiftKey && event.key.toLowerCase() === 'a',
  },
  { action: 'nextChat', keys: ['Alt', '↓'], matches: (event) => event.altKey && event.key === 'ArrowDown' },
  { action: 'previousChat', keys: ['Alt', '↑'], matches: (event) => event.altKey && event.key === 'ArrowUp' },
  {
    action: 'endChat',
    keys: [commandKey, 'Shift', 'E'],
    matches: (event) => command(event) && event.shiftKey && event.key.toLowerCase() === 'e',
  },
  // By key position: Shift changes what 1 and 2 type from one keyboard layout to the next.
  {
    action: 'focusQueue',
    keys: [commandKey, 'Shift', '1'],
    matches: (event) => command(event) && event.shiftKey && event.code === 'Digit1',
  },
  {
    action: 'focusComposer',
    keys: [commandKey, 'Shift', '2'],
    matches: (event) => command(event) && event.shiftKey && event.code === 'Digit2',
  },
  {
    action: 'help',
    keys: ['?'],
    matches: (event) => event.key === '?' && !command(event) && !isTextEntry(event.target),
  },
];

/** Keys that work inside the composer and dialogs, listed in the help dialog only. */
export const localKeys = [
  { id: 'send', keys: ['Enter'] },
  { id: 'newLine', keys: ['Shift', 'Enter'] },
  { id: 'canned', keys: ['/'] },
  { id: 'queueMove', keys: ['↑/↓'] },
  { id: 'close', keys: ['Esc'] },
] as const;

export function shortcutLabel(action: ShortcutAction): string {
  return bindings.find((binding) => binding.action === action)?.keys.join('+') ?? '';
}

/** Runs the workspace shortcuts from anywhere in the window, except while a dialog is open. */
export function useShortcuts(actions: Record<ShortcutAction, () => void>) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || useSessionStore.getState().dialog !== undefined) return;
      const binding = bindings.find((candidate) => candidate.matches(event));
      if (!binding) return;
      event.preventDefault();
      actions[binding.action]();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions]);
}
