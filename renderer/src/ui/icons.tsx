/** A cog: a thick dashed ring for the teeth around a hub. Decorative; its button carries the name. */
export function GearIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle
        cx="8"
        cy="8"
        r="5.6"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.6"
        strokeDasharray="2.2 2.2"
      />
      <circle cx="8" cy="8" r="4.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="8" cy="8" r="1.4" fill="currentColor" />
    </svg>
  );
}
