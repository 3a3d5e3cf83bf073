// The one modal dialog: a <dialog> opened with showModal() when it mounts (the rest of the window becomes inert, so
// focus stays inside; the browser moves focus to its first control), Escape asks the owner to close it, and when it
// unmounts focus goes back to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  /** Escape or a close button: the owner stops rendering the dialog (it is open exactly while it is mounted). */
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** The id of the element that says what the dialog is about, for aria-describedby. */
  readonly describedBy?: string;
  readonly className?: string;
  readonly titleClassName?: string;
  readonly testId?: string;
}

export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      // A control that is gone or disabled by then cannot take focus; whoever shows the next thing moves it there.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const { onClose } = props;
  return (
    <dialog
      ref={ref}
      className={props.className}
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
      data-testid={props.testId}
      onCancel={(event) => {
        // The owner closes it by unmounting, so that open/closed has one source of truth.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className={props.titleClassName}>
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}
