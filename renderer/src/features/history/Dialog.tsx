// The history screen's dialogs: the app's one modal dialog with the history's look.
import type { ReactNode } from 'react';
import { Dialog as ModalDialog } from '../../components/index.ts';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; className?: string; testId?: string }) {
  return <ModalDialog {...props} className={`history-dialog ${props.className ?? ''}`} titleClassName="history-dialog-title" />;
}
