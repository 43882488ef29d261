// The original clients' conventions (behaviour.md 1.5): passwords travel as lowercase hex MD5, text messages as
// Base64 of AES-256-ECB with the clients' fixed key over the UTF-8 text zero-padded to whole blocks with its length,
// big-endian, in the last 4 bytes (one more block when fewer than 4 bytes are left). Native clients read the same.
import aesjs from "aes-js";
import { md5 } from "js-md5";

const key = new TextEncoder().encode("12345678901234567890123456789012");

export function passwordHash(plain: string): string {
  return md5(plain);
}

export function encryptText(text: string): Uint8Array {
  const plain = new TextEncoder().encode(text);
  const blocks = Math.floor(plain.length / 16) + (plain.length % 16 > 12 ? 2 : 1);
  const padded = new Uint8Array(blocks * 16);
  padded.set(plain);
  new DataView(padded.buffer).setUint32(padded.length - 4, plain.length);
  const cipher = new aesjs.ModeOfOperation.ecb(key).encrypt(padded);
  return new TextEncoder().encode(toBase64(cipher));
}

/** The text of a message body; a body that is not such ciphertext is shown as it is. */
export function decryptText(body: Uint8Array): string {
  try {
    const cipher = fromBase64(new TextDecoder().decode(body));
    if (cipher.length === 0 || cipher.length % 16 !== 0) {
      return new TextDecoder().decode(body);
    }

    const padded = new aesjs.ModeOfOperation.ecb(key).decrypt(cipher);
    const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(padded.length - 4);
    return length <= padded.length - 4 ? new TextDecoder().decode(padded.subarray(0, length)) : new TextDecoder().decode(body);
  } catch {
    return new TextDecoder().decode(body);
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) {
    text += String.fromCharCode(b);
  }

  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    bytes[i] = raw.charCodeAt(i);
  }

  return bytes;
}
