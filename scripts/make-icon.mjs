#!/usr/bin/env node
// Draws resources/icon.png (256x256): a padlock on a dark rounded square. Kept as code so the icon can be
// regenerated without image tools; run it only when the design changes.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 256;
const px = Buffer.alloc(N * N * 4);
const inRounded = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const i = (y * N + x) * 4;
    let rgba = [0, 0, 0, 0];
    if (inRounded(x, y, 8, 8, 248, 248, 48)) {
      const t = y / N;
      rgba = [Math.round(15 + 20 * t), Math.round(23 + 40 * t), Math.round(42 + 60 * t), 255];
      const d = Math.hypot(x - 128, y - 104);
      const shackle = d >= 36 && d <= 54 && y <= 118;
      const body = inRounded(x, y, 64, 112, 192, 212, 16);
      const hole = Math.hypot(x - 128, y - 150) <= 12 || (x >= 122 && x <= 134 && y >= 150 && y <= 182);
      if ((shackle || body) && !(body && hole)) rgba = [56, 189, 248, 255];
    }
    px.set(rgba, i);
  }
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../resources/icon.png', import.meta.url), png);
