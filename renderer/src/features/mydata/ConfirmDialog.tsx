// A confirmation with its two choices, in the app's one modal dialog (focus stays inside, Escape cancels, focus returns).
import { useId } from 'react';
import { Dialog } from '../../components/index.ts';

export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const bodyId = useId();
  return (
    <Dialog title={props.title} className="mydata-dialog" describedBy={bodyId} onClose={props.onCancel}>
      <p id={bodyId}>{props.body}</p>
      <div className="mydata-actions">
        <button type="button" className="button button-quiet" onClick={props.onCancel}>
          {props.cancel}
        </button>
        <button type="button" className={props.danger ? 'button button-danger' : 'button'} onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
