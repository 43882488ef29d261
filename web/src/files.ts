// Offline files: downloaded over the gateway's /ws/file, where the gateway runs the file server's own protocol
// (behaviour.md 5) over a WebSocket, one TeamTalk frame per binary message. Log in to the task as its receiver
// (CLIENT_OFFLINE_DOWNLOAD), pull the chunks in order (the server decides each chunk's length: the next offset is where
// the last chunk ended), and wait for the server's CLIENT_FILE_DONE; the bytes become a Blob saved under the file's name.
// After a complete download the message connection is told with IMFileDelOfflineReq (behaviour.md 5.4.8, 3.8.4), as
// native clients do, so the file leaves the list.
import { Commands, type Command, type Frame, decodeFrame, encode, is, openSocket, parse } from "./protocol";
import { formatSize } from "./media";

export interface OfflineFile { from_user_id: number; task_id: string; file_name: string; file_size: number }
interface FileLoginRsp { result_code: number; task_id: string }
interface FileState { state: number; task_id: string; user_id: number }
interface PullDataRsp { result_code: number; task_id: string; user_id: number; offset: number; file_data: Uint8Array }

const OfflineDownload = 4;
const OfflineMode = 2;
const Done = 3;
const ChunkSize = 32 * 1024;
const ReplyTimeout = 30_000;

/** The file endpoint of the gateway that served this page (its own origin, whatever discovery says of file servers). */
export function fileSocketUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/file`;
}

/** One file connection: frames read in order, each awaited with a deadline; a close fails the read with its reason. */
class FileSocket {
  private readonly frames: Frame[] = [];
  private waiter: { resolve: (frame: Frame) => void; reject: (error: Error) => void } | undefined;
  private closed: Error | undefined;
  private seq = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      let frame: Frame;
      try {
        frame = decodeFrame(event.data as ArrayBuffer);
      } catch (error) {
        this.fail(error as Error);
        return;
      }

      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter.resolve(frame);
      else this.frames.push(frame);
    };
    socket.onclose = (event) => this.fail(new Error(`the file server closed the connection${event.reason ? `: ${event.reason}` : ` (${event.code})`}`));
  }

  static async open(url: string): Promise<FileSocket> {
    return new FileSocket(await openSocket(url, "the file server"));
  }

  send(command: Command, message: Record<string, unknown>): void {
    this.seq = (this.seq % 0xffff) + 1;
    this.socket.send(encode(command, this.seq, message));
  }

  /** The next frame; fails when the socket closed first or nothing came in time. */
  next(): Promise<Frame> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.waiter = undefined;
        reject(new Error("the file server did not answer"));
      }, ReplyTimeout);
      this.waiter = {
        resolve: (frame) => { clearTimeout(timer); resolve(frame); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
    });
  }

  /** The next frame, which must be of command. */
  async expect<T>(command: Command): Promise<T> {
    const frame = await this.next();
    if (!is(frame, command)) throw new Error(`unexpected answer 0x${frame.command.toString(16)} from the file server`);
    return parse<T>(frame, command);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, "done");
  }

  private fail(error: Error): void {
    this.closed ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.closed);
  }
}

/** Downloads file as user me; progress is told the bytes received so far. The file's bytes, or an error saying why not. */
export async function downloadOfflineFile(me: number, file: OfflineFile, progress: (received: number) => void): Promise<Blob> {
  const socket = await FileSocket.open(fileSocketUrl());
  try {
    socket.send(Commands.FileLoginRequest, { user_id: me, task_id: file.task_id, file_role: OfflineDownload });
    const login = await socket.expect<FileLoginRsp>(Commands.FileLoginResponse);
    if (login.result_code !== 0) throw new Error("the file server refused the download (the file may be gone)");
    const chunks: Uint8Array[] = [];
    let offset = 0;
    while (offset < file.file_size) {
      socket.send(Commands.FilePullRequest, { task_id: file.task_id, user_id: me, trans_mode: OfflineMode, offset, data_size: Math.min(ChunkSize, file.file_size - offset) });
      const chunk = await socket.expect<PullDataRsp>(Commands.FilePullResponse);
      if (chunk.result_code !== 0 || chunk.offset !== offset || chunk.file_data.length === 0 || offset + chunk.file_data.length > file.file_size) {
        throw new Error(`the file server sent a bad chunk at ${offset}`);
      }

      chunks.push(chunk.file_data);
      offset += chunk.file_data.length;
      progress(offset);
    }

    const done = await socket.expect<FileState>(Commands.FileState);
    if (done.state !== Done) throw new Error(`the file server ended the download with state ${done.state}`);
    return new Blob(chunks as BlobPart[], { type: "application/octet-stream" });
  } finally {
    socket.close();
  }
}

/** Saves blob as name through an <a download> click (the browser's own download). */
export function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What a row shows while or after its file was asked for (kept across re-renders of the list). */
interface Progress { received: number; error?: string }
const downloads = new Map<string, Progress>();

function progressText(file: OfflineFile, progress: Progress | undefined): string {
  if (!progress) return "";
  if (progress.error) return `Download failed: ${progress.error}`;
  const percent = file.file_size === 0 ? 100 : Math.floor((progress.received * 100) / file.file_size);
  return `Downloading… ${percent}% (${formatSize(progress.received)} of ${formatSize(file.file_size)})`;
}

function showProgress(row: HTMLElement, file: OfflineFile): void {
  const progress = downloads.get(file.task_id);
  const bar = row.querySelector<HTMLProgressElement>("progress")!;
  const text = row.querySelector<HTMLElement>(".transfer")!;
  const button = row.querySelector<HTMLButtonElement>("button")!;
  bar.hidden = !progress || progress.error !== undefined;
  bar.max = Math.max(file.file_size, 1);
  bar.value = file.file_size === 0 ? 1 : progress?.received ?? 0;
  text.textContent = progressText(file, progress);
  text.classList.toggle("error", progress?.error !== undefined);
  button.disabled = progress !== undefined && progress.error === undefined;
  button.textContent = progress?.error ? "Retry" : "Download";
}

/**
 * The list row of an offline file: its name, size and sender, a Download button (Enter or Space on the row too), a
 * progress bar and the outcome. After a complete download the file is saved and delivered(file) is called.
 */
export function fileRow(file: OfflineFile, sender: string, me: () => number, delivered: (file: OfflineFile) => void): HTMLLIElement {
  const row = document.createElement("li");
  row.className = "file";
  row.tabIndex = 0;
  row.dataset.task = file.task_id;
  row.dataset.name = file.file_name;
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = file.file_name;
  const about = document.createElement("span");
  about.className = "latest";
  about.textContent = `${formatSize(file.file_size)} from ${sender}`;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "download";
  button.setAttribute("aria-label", `Download ${file.file_name}`);
  const bar = document.createElement("progress");
  bar.setAttribute("aria-label", `${file.file_name} downloaded`);
  const text = document.createElement("span");
  text.className = "transfer";
  text.setAttribute("role", "status");
  row.append(label, about, button, bar, text);
  showProgress(row, file);

  const start = async () => {
    if (button.disabled) return;
    const current = (): HTMLElement => document.querySelector<HTMLElement>(`#file-list li[data-task="${CSS.escape(file.task_id)}"]`) ?? row;
    downloads.set(file.task_id, { received: 0 });
    showProgress(current(), file);
    try {
      const blob = await downloadOfflineFile(me(), file, (received) => {
        downloads.set(file.task_id, { received });
        showProgress(current(), file);
      });
      save(blob, file.file_name);
      downloads.delete(file.task_id);
      delivered(file);
    } catch (error) {
      downloads.set(file.task_id, { received: 0, error: (error as Error).message });
      showProgress(current(), file);
    }
  };
  button.addEventListener("click", () => void start());
  row.addEventListener("keydown", (event) => {
    if (event.target === row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      void start();
    }
  });
  return row;
}
