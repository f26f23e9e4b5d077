// @vitest-environment happy-dom
// A dialog opened from inside a sticky table cell is drawn in the body, so no sticky header or column (each its
// own stacking context) can be drawn over it.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../test-support/render';
import { Dialog } from './Dialog';

describe('Dialog', () => {
  it('draws itself in the body, outside the sticky cell that opened it, and takes the focus', () => {
    renderScreen(
      <table>
        <tbody>
          <tr>
            <td className="actions" style={{ position: 'sticky', right: 0 }} data-testid="cell">
              <Dialog title="Explain DB_PASSWORD" onClose={() => {}} testId="a-dialog">
                <button type="button">Close</button>
              </Dialog>
            </td>
          </tr>
        </tbody>
      </table>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Explain DB_PASSWORD' });
    expect(screen.getByTestId('cell').contains(dialog)).toBe(false);
    expect(dialog.parentElement?.className).toBe('overlay');
    expect(dialog.parentElement?.parentElement).toBe(document.body);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  });
});
