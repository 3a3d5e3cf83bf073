// A modal confirmation (<dialog>, so the browser traps focus and Escape cancels); focus returns to the opener.
import { useEffect, useId, useRef } from 'react';

export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);
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
