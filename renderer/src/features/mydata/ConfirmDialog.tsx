// A modal confirmation (<dialog>, so the browser traps focus and Escape cancels); focus returns to the opener.
import { useId } from 'react';
import { useModalDialog } from '../../components/index.ts';

export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useModalDialog();
  const titleId = useId();
  const bodyId = useId();
  return (
    <dialog ref={ref} className="mydata-dialog" aria-labelledby={titleId} aria-describedby={bodyId} onClose={props.onCancel}>
      <h2 id={titleId}>{props.title}</h2>
      <p id={bodyId}>{props.body}</p>
      <div className="mydata-actions">
        <button type="button" className="button button-quiet" onClick={props.onCancel}>
          {props.cancel}
        </button>
        <button type="button" className={props.danger ? 'button button-danger' : 'button'} onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
