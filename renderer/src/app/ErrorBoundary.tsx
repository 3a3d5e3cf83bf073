// Catches render errors below it and shows them as an AppError page with a retry that remounts the subtree.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { AppError } from '../../../electron/contract/index.ts';
import { ErrorView } from '../components/index.ts';
import { toAppError } from './ipc.ts';

interface Props {
  children: ReactNode;
  /** When this changes (e.g. a new route), a shown error is cleared. */
  resetKey?: string;
}

interface State {
  error: AppError | null;
  resetKey: string | undefined;
  attempt: number;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: toAppError(error) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { error: null, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is the renderer's log; the AppError shown carries no personal data.
    console.error('Render error', error, info.componentStack);
  }

  private readonly retry = (): void => {
    this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));
  };

  override render(): ReactNode {
    if (this.state.error) return <ErrorView variant="page" error={this.state.error} onRetry={this.retry} />;
    // A new key remounts the children, so effects that loaded data run again.
    return <RemountKey key={this.state.attempt}>{this.props.children}</RemountKey>;
  }
}

function RemountKey(props: { children: ReactNode }) {
  return <>{props.children}</>;
}
