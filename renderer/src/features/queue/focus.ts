export const queueRegionId = 'queue';

/**
 * Moves keyboard focus into the queue: the first offer's Accept, else the current row of the
 * waiting list, else the queue's heading, so the operator always lands somewhere.
 */
export function focusQueue() {
  const region = document.getElementById(queueRegionId);
  const target =
    region?.querySelector<HTMLElement>('.offer button') ??
    region?.querySelector<HTMLElement>('.queue-list button[tabindex="0"]') ??
    region?.querySelector<HTMLElement>('h2');
  target?.focus();
}
