/** The row under every form: a way back on the left, the form's submit on the right. */
export function FormActions(props: {
  backLabel: string;
  onBack(): void;
  submitLabel: string;
  busy: boolean;
}) {
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={props.onBack}>
        {props.backLabel}
      </button>
      <button type="submit" className="primary" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </div>
  );
}
