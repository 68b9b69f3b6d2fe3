import { Component, type ReactNode } from 'react';

/** One panel's failure (e.g. the chart chunk not loading) stays in that panel: the rest of the screen stays. */
export class PanelBoundary extends Component<{ name: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <div className="state-panel error" role="alert">
          The {this.props.name} could not be shown. The rest of the screen is unaffected; reload to try again.
        </div>
      );
    }
    return this.props.children;
  }
}
