// Images and voice as the native clients carry them (behaviour.md 1.5 and 2.2): an image is a text message whose
// (decrypted) text holds the msfs URL between the markers below, possibly mixed with plain text; a voice message's
// body is the duration in seconds (4 bytes, big-endian) followed by the audio file's bytes. Uploads go to msfs, whose
// base URL the gateway's discovery (`/msg_server`) hands out as `msfsPrior`, exactly as native clients find it.

export const ImageOpen = "&$#@~^@[{:";
export const ImageClose = ":}]&$~@#@";

export type Part = { kind: "text"; text: string } | { kind: "image"; url: string };

/** The text split into plain text and image parts, in order; an image whose URL is not http(s) stays text. */
export function parts(text: string): Part[] {
  const result: Part[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf(ImageOpen);
    const close = open < 0 ? -1 : rest.indexOf(ImageClose, open + ImageOpen.length);
    if (close < 0) {
      break;
    }

    const url = rest.slice(open + ImageOpen.length, close);
    if (open > 0) {
      result.push({ kind: "text", text: rest.slice(0, open) });
    }

    result.push(isWebUrl(url) ? { kind: "image", url } : { kind: "text", text: rest.slice(open, close + ImageClose.length) });
    rest = rest.slice(close + ImageClose.length);
  }

  if (rest.length > 0 || result.length === 0) {
    result.push({ kind: "text", text: rest });
  }

  return result;
}

export function imageText(url: string): string {
  return ImageOpen + url + ImageClose;
}

function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

/** A short text for a message in lists (recent sessions, notifications). */
export function preview(text: string): string {
  return parts(text).map((p) => (p.kind === "image" ? "[image]" : p.text)).join("").replace(/\s+/g, " ").trim();
}

export interface Voice {
  seconds: number;
  audio: Uint8Array;
  /** What the bytes are, from their first bytes. */
  format: AudioFormat;
}

export interface AudioFormat { name: string; mime: string; extension: string }

const Speex: AudioFormat = { name: "Ogg Speex", mime: "audio/ogg; codecs=speex", extension: "spx" };
const Unknown: AudioFormat = { name: "audio", mime: "application/octet-stream", extension: "audio" };

/** A voice message's body; undefined when it is not one (e.g. the audio id text history falls back to). */
export function voice(body: Uint8Array): Voice | undefined {
  if (body.length <= 4) {
    return undefined;
  }

  const seconds = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0);
  const audio = body.slice(4);
  return { seconds, audio, format: audioFormat(audio) };
}

export function voiceBody(seconds: number, audio: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + audio.length);
  new DataView(body.buffer).setUint32(0, seconds);
  body.set(audio, 4);
  return body;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** The container from the file's signature: native clients record Ogg Speex (narrowband, 8 kHz). */
export function audioFormat(audio: Uint8Array): AudioFormat {
  if (ascii(audio, 0, 4) === "OggS") {
    const head = ascii(audio, 28, 8);
    if (head === "Speex   ") {
      return Speex;
    }

    return head.startsWith("OpusHead") ? { name: "Ogg Opus", mime: "audio/ogg; codecs=opus", extension: "opus" } : { name: "Ogg", mime: "audio/ogg", extension: "ogg" };
  }

  if (ascii(audio, 0, 4) === "RIFF" && ascii(audio, 8, 4) === "WAVE") {
    return { name: "WAV", mime: "audio/wav", extension: "wav" };
  }

  if (ascii(audio, 0, 6) === "#!AMR\n") {
    return { name: "AMR", mime: "audio/amr", extension: "amr" };
  }

  if (ascii(audio, 0, 3) === "ID3" || (audio[0] === 0xff && ((audio[1] ?? 0) & 0xe0) === 0xe0)) {
    return { name: "MP3", mime: "audio/mpeg", extension: "mp3" };
  }

  return Unknown;
}

/** Whether the clip is the Ogg Speex native clients record, which the gateway turns into WAV (`wav`). */
export function isSpeex(clip: Voice): boolean {
  return clip.format === Speex;
}

/** The gateway's Speex decoder (Gateway/Voice): POST the clip, get a 16-bit PCM WAV back; 503 when it has no libspeex. */
export const VoiceDecoderPath = "/api/voice/wav";

/**
 * An object URL of the clip decoded to WAV by the gateway (no browser decodes Speex). Rejects with the gateway's
 * reason (a one-line text) when it refuses: 503 no decoder on the server or busy, 400 a clip it cannot read.
 */
export async function wav(clip: Voice): Promise<string> {
  const response = await fetch(VoiceDecoderPath, { method: "POST", headers: { "Content-Type": "audio/ogg" }, body: clip.audio.slice() });
  if (!response.ok) {
    const reason = (await response.text()).trim() || response.statusText;
    throw new Error(`the server could not decode it (${response.status}): ${reason}`);
  }

  return URL.createObjectURL(await response.blob());
}

/** Whether this browser can decode the clip (Chromium has no Speex or AMR decoder; WAV, MP3, Ogg Vorbis/Opus it has). */
export async function playable(clip: Voice): Promise<boolean> {
  if (clip.format === Speex || clip.format === Unknown) {
    return false;
  }

  const context = new OfflineAudioContext(1, 1, 8000);
  try {
    const decoded = await context.decodeAudioData(clip.audio.slice().buffer);
    return decoded.duration > 0;
  } catch {
    return false;
  }
}

interface MsfsReply { error_code: number; error_msg: string; url: string }

let msfsBase: Promise<string> | undefined;

/** msfs's base URL, from the gateway's discovery on this page's origin (cached; retried after a failure). */
function msfs(): Promise<string> {
  msfsBase ??= fetch("/msg_server").then(async (response) => {
    const discovery = (await response.json()) as { msfsPrior?: string };
    if (!discovery.msfsPrior) {
      throw new Error("the server did not say where msfs is");
    }

    return discovery.msfsPrior;
  });
  msfsBase.catch(() => { msfsBase = undefined; });
  return msfsBase;
}

const ImageTypes: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp" };

export function isSendableImage(file: Blob): boolean {
  return file.type in ImageTypes;
}

/** Uploads an image the way native clients do (multipart, name ending in _<W>x<H>.<ext>); the URL msfs answers. */
export async function uploadImage(file: Blob): Promise<string> {
  const extension = ImageTypes[file.type];
  if (!extension) {
    throw new Error(`${file.type || "this file"} is not an image msfs takes (png, jpg, gif, webp, bmp)`);
  }

  let size = "";
  try {
    const bitmap = await createImageBitmap(file);
    size = `_${Math.min(bitmap.width, 9999)}x${Math.min(bitmap.height, 9999)}`;
    bitmap.close();
  } catch {
    throw new Error("this image cannot be read");
  }

  const form = new FormData();
  form.append("file", file, `web${size}.${extension}`);
  const response = await fetch(await msfs(), { method: "POST", body: form });
  const reply = (await response.json()) as MsfsReply;
  if (reply.error_code !== 0 || !reply.url) {
    throw new Error(`the image store refused it: ${reply.error_msg} (${reply.error_code})`);
  }

  return reply.url;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
