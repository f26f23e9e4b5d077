// CRC-32C (Castagnoli) for the emulator's integrity fields, as the Cloud KMS API computes them. Kept apart from the
// adapter's copy on purpose: an emulator that borrowed the adapter's checksum could not catch a bug in it.
// does not share a bug with the adapter it tests.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i += 1) {
    let c = i;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}
