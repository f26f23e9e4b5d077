// Test support: happy-dom lays nothing out, so every element measures 0 px and a virtualized list would
// think everything is visible. This gives scroll viewports (class `virtual-scroll`) a height and every other
// element a fixed row height, which is what the virtualizer reads (clientHeight, offsetHeight).
import { afterEach, vi } from 'vitest';

export function fakeLayout({ viewport, row }: { viewport: number; row: number }): void {
  const isViewport = (el: HTMLElement): boolean => el.classList.contains('virtual-scroll');
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return isViewport(this) ? viewport : row;
  });
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(() => 800);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return isViewport(this) ? viewport : row;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});
