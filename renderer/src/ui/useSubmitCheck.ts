import { useEffect, useRef, useState } from 'react';

/**
 * Form checks that stay quiet until the first submit, then follow every change (the form shows
 * problems only while `tried`). A refused submit moves focus to the first field marked invalid,
 * so keyboard and screen-reader users land on what needs fixing.
 */
export function useSubmitCheck() {
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (attempts > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  return {
    formRef,
    tried: attempts > 0,
    /** Call on submit with whether the draft is fine; returns it, for `if (!check(ok)) return`. */
    check(valid: boolean): boolean {
      setAttempts((count) => count + 1);
      return valid;
    },
  };
}
