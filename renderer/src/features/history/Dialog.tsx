// A modal <dialog> opened on mount: the browser traps focus and closes on Escape; focus returns to the opener on close.
import { useId, type ReactNode } from 'react';
import { useModalDialog } from '../../components/index.ts';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; className?: string; testId?: string }) {
  const ref = useModalDialog();
  const titleId = useId();
  const { onClose } = props;

  return (
    <dialog
      ref={ref}
      className={`history-dialog ${props.className ?? ''}`}
      aria-labelledby={titleId}
      data-testid={props.testId}
      onClose={onClose}
    >
      <h2 id={titleId} className="history-dialog-title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}
