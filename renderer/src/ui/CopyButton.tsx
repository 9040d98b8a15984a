import { useEffect, useState } from 'react';
import './copy-button.css';

interface CopyButtonProps {
  /** What lands on the clipboard. */
  text: string;
  labels: {
    copy: string;
    copied: string;
    /** Shown when the clipboard refuses (no permission): the operator copies by hand instead. */
    failed: string;
  };
  /** A fuller name for screen readers when several copy buttons share a screen. */
  ariaLabel?: string;
}

const confirmationMs = 2500;

/** Copies `text` and says so next to the button for a moment, in a live region screen readers hear. */
export function CopyButton({ text, labels, ariaLabel }: CopyButtonProps) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | undefined>(undefined);

  useEffect(() => {
    if (outcome !== 'copied') return;
    const timer = setTimeout(() => setOutcome(undefined), confirmationMs);
    return () => clearTimeout(timer);
  }, [outcome]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
  }

  return (
    <span className="copy-button">
      <button type="button" className="secondary" aria-label={ariaLabel} onClick={() => void copy()}>
        {labels.copy}
      </button>
      <span role="status" className={outcome === 'failed' ? 'copy-failed' : 'copy-done'}>
        {outcome === 'copied' ? labels.copied : outcome === 'failed' ? labels.failed : ''}
      </span>
    </span>
  );
}
