// Test support: happy-dom lays nothing out, so every element measures 0 px and a virtualized list would
// think everything is visible. This gives scroll viewports (class `virtual-scroll`) a height and every other
// element a fixed row height, which is what the virtualizer reads (clientHeight, offsetHeight), and makes
// scrollTo scroll and fire `scroll` as a browser does.
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
  // Content as tall as any list here needs, so a scroll to the end is never clamped short.
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return isViewport(this) ? 100_000_000 : row;
  });
  vi.spyOn(HTMLElement.prototype, 'scrollTo').mockImplementation(function (
    this: HTMLElement,
    options?: ScrollToOptions | number,
  ) {
    if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
    this.dispatchEvent(new Event('scroll'));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});
