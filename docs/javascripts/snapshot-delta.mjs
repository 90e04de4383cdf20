// The engine's memory snapshot sends its static data as a difference.
//
// A Pyodide memory snapshot (sitebuild/build_snapshot.py) is a header followed by the
// whole WebAssembly memory. The memory's first megabytes are the static data that
// pyodide.asm.wasm itself carries in its data segments, and Python changes few of those
// bytes. So the site build stores them XOR the segments' bytes: mostly zeros, which gzip
// to almost nothing (about 1.5 MB less on the wire). The calculator's worker, which
// downloads pyodide.asm.wasm anyway, applies the same XOR to get the memory back.
//
// One function does both (xorStaticData), here, run by the build under Node and by the
// worker in the browser: the two sides cannot disagree. Nothing here computes an estimate.

// The static data image of a WebAssembly module (its bytes): every active data segment of
// memory 0 with a constant offset, laid out at that offset. Segments of another kind are
// left out of the image (zeros), which keeps the XOR correct and only saves less.
export function staticData(wasm) {
  const bytes = ArrayBuffer.isView(wasm)
    ? new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength) : new Uint8Array(wasm);
  let at = 8; // after the magic number and the version
  const leb = (signed = false) => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (signed && byte & 0x40) value -= 2 ** shift;
    return value;
  };
  const segments = [];
  let end = 0;
  while (at < bytes.length) {
    const section = bytes[at++];
    const size = leb();
    const next = at + size;
    if (section === 11) { // the data section
      for (let count = leb(); count > 0; count--) {
        const flags = leb();
        if (flags === 1) { // passive: its bytes only
          at += leb();
          continue;
        }
        if (flags === 2) leb(); // memory index
        const opcode = bytes[at++]; // the offset: i32.const N, or global.get G (PIC)
        if (opcode !== 0x41 && opcode !== 0x23) {
          throw new Error(`data segment offset: unknown opcode ${opcode}`);
        }
        const offset = leb(opcode === 0x41);
        if (bytes[at++] !== 0x0b) throw new Error("data segment offset: not one instruction");
        const length = leb();
        if (opcode === 0x41 && (flags === 0 || flags === 2)) {
          segments.push([offset, at, length]);
          end = Math.max(end, offset + length);
        }
        at += length;
      }
    }
    at = next;
  }
  const image = new Uint8Array(Math.ceil(end / 4) * 4); // whole words, for the XOR
  for (const [offset, from, length] of segments) {
    image.set(bytes.subarray(from, from + length), offset);
  }
  return image;
}

// XOR the memory of `snapshot` (a Pyodide memory snapshot's bytes, changed in place) with
// the static data of `wasm`; applied twice, it gives the snapshot back. The snapshot's
// header says where its memory starts: its second 32-bit word (little-endian).
export function xorStaticData(snapshot, wasm) {
  const image = staticData(wasm);
  const start = new DataView(snapshot.buffer, snapshot.byteOffset, 8).getUint32(4, true);
  const at = snapshot.byteOffset + start;
  const words = Math.min(image.length, snapshot.byteLength - start) >> 2;
  if (at % 4 === 0) { // a word at a time (the header is a multiple of 16 bytes)
    const memory = new Int32Array(snapshot.buffer, at, words);
    const data = new Int32Array(image.buffer, 0, words);
    for (let i = 0; i < words; i++) memory[i] ^= data[i];
  } else {
    const memory = snapshot.subarray(start, start + words * 4);
    for (let i = 0; i < memory.length; i++) memory[i] ^= image[i];
  }
  return snapshot;
}
