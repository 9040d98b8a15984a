import './stale-edit-notice.css';

/**
 * Someone else saved the record while this form was open: nothing of this edit was saved, and the
 * form offers the saved values. What the operator typed stays until they choose to reload.
 */
export function StaleEditNotice(props: {
  message: string;
  reloadLabel: string;
  reloadHint: string;
  onReload(): void;
}) {
  return (
    <div role="alert" className="notice notice-error stale-edit">
      <p>{props.message}</p>
      <p className="stale-edit-reload">
        <button type="button" className="secondary" onClick={props.onReload}>
          {props.reloadLabel}
        </button>
        <span className="hint">{props.reloadHint}</span>
      </p>
    </div>
  );
}
