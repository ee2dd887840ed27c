#!/usr/bin/env node
// Writes the kiosk's prompt sounds as small WAV files (16 kHz, mono, 16-bit PCM) from tone sequences.
// There is no speech synthesis on the build machines: these tones stand in for the spoken prompts until
// real voice recordings replace them (same file names; see README.md). Run: `node assets/audio/make-prompts.mjs`.
// Deterministic: the same script always writes the same bytes, so the committed files can be checked.
import fs from 'node:fs';
import path from 'node:path';

const RATE = 16_000;
const here = path.dirname(new URL(import.meta.url).pathname);

/** A tone of `hz` for `ms`, with 10 ms raised-cosine edges so it does not click; hz 0 is silence. */
function tone(hz, ms, gain = 0.5) {
  const n = Math.round((RATE * ms) / 1000);
  const edge = Math.round(RATE * 0.01);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    const fade = Math.min(1, i / edge, (n - 1 - i) / edge);
    const env = 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, fade));
    out[i] = hz === 0 ? 0 : gain * env * Math.sin((2 * Math.PI * hz * i) / RATE);
  }
  return out;
}

function wav(parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const buffer = Buffer.alloc(44 + total * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + total * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(RATE, 24);
  buffer.writeUInt32LE(RATE * 2, 28); // byte rate
  buffer.writeUInt16LE(2, 32); // block align
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(total * 2, 40);
  let offset = 44;
  for (const part of parts) {
    for (const sample of part) {
      buffer.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), offset);
      offset += 2;
    }
  }
  return buffer;
}

export const PROMPTS = {
  // "请对本次服务进行评价": a session opened, the rate screen asks for a rating. Two rising notes.
  invite: [tone(660, 160), tone(0, 60), tone(880, 220)],
  // "已收到": a level was accepted. ONE sound for every level (domain-rules §5: the clerk hears it too).
  ack: [tone(1046, 140, 0.4)],
};

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, parts] of Object.entries(PROMPTS)) {
    const file = path.join(here, `${name}.wav`);
    fs.writeFileSync(file, wav(parts));
    process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
  }
}
