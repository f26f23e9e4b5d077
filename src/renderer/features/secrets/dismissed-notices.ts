// Notices the person dismissed (the SOPS first-key notice, "none of the recipients is a key this machine
// holds", ...), remembered in the renderer's localStorage so the same one does not come back on every set.
// The texts name files, providers and public recipients, never a value.

const KEY = 'atmos-secrets.dismissed-notices';
/** Kept at most: the newest dismissals win. */
const MAX_REMEMBERED = 100;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A sandboxed document may refuse storage access: dismissals then last as long as the page.
    return null;
  }
}

export function dismissedNotices(): ReadonlySet<string> {
  const raw = storage()?.getItem(KEY);
  if (!raw) return new Set();
  try {
    const parsed: unknown = JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function rememberDismissed(notice: string): ReadonlySet<string> {
  const next = [...dismissedNotices()].filter((n) => n !== notice);
  next.push(notice);
  const kept = next.slice(-MAX_REMEMBERED);
  storage()?.setItem(KEY, JSON.stringify(kept));
  return new Set(kept);
}
