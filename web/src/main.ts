// The web chat client: login, contacts, 1:1 chat with history, over the gateway's /ws (one TeamTalk frame per message).
import { Commands, type Command, type Frame, decodeFrame, encode, is, parse } from "./protocol";
import { decryptText, encryptText, passwordHash } from "./crypto";

interface UserInfo { user_id: number; user_nick_name: string; user_real_name: string; status: number }
interface LoginRes { result_code: number; result_string: string; user_info?: UserInfo }
interface AllUserRsp { user_list: UserInfo[] }
interface MsgData { from_user_id: number; to_session_id: number; msg_id: number; create_time: number; msg_type: number; msg_data: Uint8Array }
interface MsgDataAck { session_id: number; msg_id: number }
interface MsgInfo { msg_id: number; from_session_id: number; create_time: number; msg_type: number; msg_data: Uint8Array }
interface MsgListRsp { session_id: number; msg_list: MsgInfo[] }

const SingleText = 1;
const SessionSingle = 1;
const HeartbeatEvery = 30_000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

class Session {
  private readonly socket: WebSocket;
  private seq = 0;
  private readonly waiting = new Map<number, (frame: Frame) => void>();
  private heartbeat = 0;
  onFrame: (frame: Frame) => void = () => {};
  onClose: (reason: string) => void = () => {};

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      const frame = decodeFrame(event.data as ArrayBuffer);
      const reply = frame.seq !== 0 ? this.waiting.get(frame.seq) : undefined;
      if (reply) {
        this.waiting.delete(frame.seq);
        reply(frame);
      } else {
        this.onFrame(frame);
      }
    };
    socket.onclose = (event) => {
      clearInterval(this.heartbeat);
      this.onClose(event.reason || `closed (${event.code})`);
    };
    this.heartbeat = window.setInterval(() => this.send(Commands.Heartbeat, {}), HeartbeatEvery);
  }

  static open(url: string): Promise<Session> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.onopen = () => resolve(new Session(socket));
      socket.onerror = () => reject(new Error("cannot reach the server"));
    });
  }

  send(command: Command, message: Record<string, unknown>): number {
    this.seq = (this.seq % 0xffff) + 1;
    this.socket.send(encode(command, this.seq, message));
    return this.seq;
  }

  request(command: Command, message: Record<string, unknown>): Promise<Frame> {
    return new Promise((resolve) => this.waiting.set(this.send(command, message), resolve));
  }

  close(): void {
    this.socket.close(1000, "logout");
  }
}

interface Line { id: number; from: number; text: string }

const state = {
  session: undefined as Session | undefined,
  me: 0,
  users: new Map<number, UserInfo>(),
  peer: 0,
  lines: new Map<number, Line[]>(),
  unread: new Map<number, number>(),
};

function conversation(peer: number): Line[] {
  let lines = state.lines.get(peer);
  if (!lines) {
    lines = [];
    state.lines.set(peer, lines);
  }

  return lines;
}

function add(peer: number, line: Line): void {
  const lines = conversation(peer);
  if (line.id !== 0 && lines.some((l) => l.id === line.id)) {
    return;
  }

  lines.push(line);
  lines.sort((a, b) => (a.id || Number.MAX_SAFE_INTEGER) - (b.id || Number.MAX_SAFE_INTEGER));
}

function name(user: UserInfo | undefined): string {
  return user ? user.user_nick_name || user.user_real_name || String(user.user_id) : "?";
}

function renderContacts(): void {
  const filter = $<HTMLInputElement>("filter").value.trim().toLowerCase();
  const list = $("contacts");
  list.replaceChildren();
  for (const user of [...state.users.values()].sort((a, b) => name(a).localeCompare(name(b)))) {
    if (user.user_id === state.me || (filter && !name(user).toLowerCase().includes(filter))) {
      continue;
    }

    const item = document.createElement("li");
    item.tabIndex = 0;
    item.dataset.user = String(user.user_id);
    item.dataset.name = user.user_real_name;
    item.setAttribute("aria-selected", String(user.user_id === state.peer));
    item.append(name(user));
    const unread = state.unread.get(user.user_id) ?? 0;
    if (unread > 0) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = String(unread);
      item.append(badge);
    }

    item.onclick = () => void open(user.user_id);
    item.onkeydown = (event) => { if (event.key === "Enter") void open(user.user_id); };
    list.append(item);
  }
}

function renderMessages(): void {
  const list = $("messages");
  list.replaceChildren();
  for (const line of conversation(state.peer)) {
    const item = document.createElement("li");
    item.className = line.from === state.me ? "mine" : "";
    item.textContent = line.text;
    list.append(item);
  }

  list.scrollTop = list.scrollHeight;
}

async function open(peer: number): Promise<void> {
  state.peer = peer;
  state.unread.delete(peer);
  $("peer").textContent = name(state.users.get(peer));
  $<HTMLInputElement>("text").disabled = false;
  $<HTMLButtonElement>("send").disabled = false;
  renderContacts();
  renderMessages();
  $<HTMLInputElement>("text").focus();
  const reply = await state.session!.request(Commands.ListRequest, { user_id: 0, session_type: SessionSingle, session_id: peer, msg_id_begin: 0, msg_cnt: 30 });
  const history = parse<MsgListRsp>(reply, Commands.ListResponse);
  let latest = 0;
  for (const message of history.msg_list) {
    latest = Math.max(latest, message.msg_id);
    if (message.msg_type === SingleText) {
      add(peer, { id: message.msg_id, from: message.from_session_id, text: decryptText(message.msg_data) });
    }
  }

  if (latest > 0) {
    state.session!.send(Commands.ReadAck, { user_id: 0, session_id: peer, msg_id: latest, session_type: SessionSingle });
  }

  if (state.peer === peer) {
    renderMessages();
  }
}

function received(frame: Frame): void {
  if (is(frame, Commands.MessageData)) {
    const message = parse<MsgData>(frame, Commands.MessageData);
    if (message.msg_type !== SingleText) {
      return;
    }

    const peer = message.from_user_id === state.me ? message.to_session_id : message.from_user_id;
    add(peer, { id: message.msg_id, from: message.from_user_id, text: decryptText(message.msg_data) });
    state.session!.send(Commands.MessageDataAck, { user_id: state.me, session_id: peer, msg_id: message.msg_id, session_type: SessionSingle });
    if (peer === state.peer && document.hasFocus()) {
      state.session!.send(Commands.ReadAck, { user_id: 0, session_id: peer, msg_id: message.msg_id, session_type: SessionSingle });
      renderMessages();
    } else {
      state.unread.set(peer, (state.unread.get(peer) ?? 0) + 1);
      renderContacts();
      if (peer === state.peer) {
        renderMessages();
      }
    }
  } else if (is(frame, Commands.KickUser)) {
    loggedOut("signed in elsewhere");
  }
}

function loggedOut(reason: string): void {
  state.session = undefined;
  $("chat").hidden = true;
  $("login").hidden = false;
  $("login-status").textContent = reason;
}

async function login(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const status = $("login-status");
  status.textContent = "Connecting…";
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  let session: Session;
  try {
    session = await Session.open(url);
  } catch (error) {
    status.textContent = (error as Error).message;
    return;
  }

  const reply = parse<LoginRes>(await session.request(Commands.LoginRequest, {
    user_name: $<HTMLInputElement>("user").value.trim(),
    password: passwordHash($<HTMLInputElement>("password").value),
    online_status: 1,
    client_type: 1,
    client_version: "TeamTalk.Orleans web",
  }), Commands.LoginResponse);
  if (reply.result_code !== 0 || !reply.user_info) {
    status.textContent = reply.result_string || "login refused";
    return;
  }

  state.session = session;
  state.me = reply.user_info.user_id;
  state.users.set(state.me, reply.user_info);
  session.onFrame = received;
  session.onClose = (reason) => { if (state.session === session) loggedOut(reason); };
  $("me").textContent = name(reply.user_info);
  $("login").hidden = true;
  $("chat").hidden = false;
  status.textContent = "";
  const all = parse<AllUserRsp>(await session.request(Commands.AllUserRequest, { user_id: 0, latest_update_time: 0 }), Commands.AllUserResponse);
  for (const user of all.user_list) {
    if (user.status !== 3) {
      state.users.set(user.user_id, user);
    }
  }

  renderContacts();
}

async function sendText(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = $<HTMLInputElement>("text");
  const text = input.value;
  if (!text.trim() || !state.session || !state.peer) {
    return;
  }

  input.value = "";
  const peer = state.peer;
  const line: Line = { id: 0, from: state.me, text };
  conversation(peer).push(line);
  renderMessages();
  const ack = parse<MsgDataAck>(await state.session.request(Commands.MessageData, {
    from_user_id: state.me,
    to_session_id: peer,
    msg_id: 0,
    create_time: Math.floor(Date.now() / 1000),
    msg_type: SingleText,
    msg_data: encryptText(text),
  }), Commands.MessageDataAck);
  line.id = ack.msg_id;
}

$<HTMLFormElement>("login").addEventListener("submit", (event) => void login(event));
$<HTMLFormElement>("compose").addEventListener("submit", (event) => void sendText(event));
$<HTMLInputElement>("filter").addEventListener("input", renderContacts);
$("logout").addEventListener("click", () => {
  const session = state.session;
  if (session) {
    session.send(Commands.LogoutRequest, {});
    state.session = undefined;
    session.close();
  }

  loggedOut("");
});
