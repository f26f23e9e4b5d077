// A page that throws while drawing must not take the app with it: the boundary shows the error in the page's
// place, with "Try again" (draw it afresh); the sidebar and everything else stay usable.
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from './states';

interface Props {
  readonly children: ReactNode;
  /** What is shown ("the Secrets page"), for the message. */
  readonly what: string;
}

interface State {
  readonly error: unknown;
  readonly attempt: number;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error('Unknown error') };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // Nothing to send: the renderer has no log of its own, and the error is on screen.
  }

  override render(): ReactNode {
    if (this.state.error !== null) {
      const message = this.state.error instanceof Error ? this.state.error.message : String(this.state.error);
      return (
        <ErrorState
          error={new Error(`Something went wrong drawing ${this.props.what}: ${message}`)}
          onRetry={() => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }))}
        />
      );
    }
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}
