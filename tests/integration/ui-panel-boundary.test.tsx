import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PanelBoundary } from '../../src/ui/common/panel-boundary';

afterEach(cleanup);

function Broken(): never {
  throw new Error('render failure with internal details');
}

describe('panel boundary', () => {
  it('contains a panel that throws: a plain message, no stack trace, siblings still render', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <div>
        <PanelBoundary name="timeline chart">
          <Broken />
        </PanelBoundary>
        <p>criteria still here</p>
      </div>,
    );
    quiet.mockRestore();
    expect(screen.getByRole('alert').textContent).toContain('The timeline chart could not be shown');
    expect(screen.getByRole('alert').textContent).not.toContain('internal details');
    expect(screen.getByText('criteria still here')).toBeTruthy();
  });
});
