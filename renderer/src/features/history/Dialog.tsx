// A modal <dialog> opened on mount: the browser traps focus and closes on Escape; focus returns to the opener on close.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

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
