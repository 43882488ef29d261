// The web chat client over the gateway's /ws (one TeamTalk frame per message): login, recent chats with unread counts,
// contacts by department with live presence, 1:1 and group chat with history paging and read acks, images through
// msfs, voice messages, offline files (listed, downloaded over /ws/file: files.ts), logout. Everything user-supplied goes into the page as text, never HTML.
import { Commands, type Command, type Frame, decodeFrame, encode, is, openSocket, parse } from "./protocol";
import { decryptText, encryptText, passwordHash } from "./crypto";
import { type OfflineFile, fileRow } from "./files";
import { type Voice, imageText, isSendableImage, isSpeex, parts, playable, preview, uploadImage, voice, wav } from "./media";

interface UserInfo { user_id: number; user_nick_name: string; user_real_name: string; status: number; department_id: number }
interface LoginRes { result_code: number; result_string: string; user_info?: UserInfo }
interface AllUserRsp { user_list: UserInfo[] }
interface DepartInfo { dept_id: number; priority: number; dept_name: string; parent_dept_id: number; dept_status: number }
interface DepartmentRsp { dept_list: DepartInfo[] }
interface UserStat { user_id: number; status: number }
interface UsersStatRsp { user_stat_list: UserStat[] }
interface UserStatNotify { user_stat: UserStat }
interface ContactSessionInfo { session_id: number; session_type: number; updated_time: number; latest_msg_id: number; latest_msg_data: Uint8Array; latest_msg_type: number; latest_msg_from_user_id: number }
interface RecentRsp { contact_session_list: ContactSessionInfo[] }
interface UnreadInfo { session_id: number; session_type: number; unread_cnt: number }
interface UnreadRsp { unreadinfo_list: UnreadInfo[] }
interface MsgData { from_user_id: number; to_session_id: number; msg_id: number; create_time: number; msg_type: number; msg_data: Uint8Array }
interface MsgDataAck { session_id: number; msg_id: number }
interface ReadNotify { session_id: number; msg_id: number; session_type: number }
interface MsgInfo { msg_id: number; from_session_id: number; create_time: number; msg_type: number; msg_data: Uint8Array }
interface MsgListRsp { session_id: number; msg_list: MsgInfo[] }
interface GroupVersion { group_id: number; version: number }
interface GroupListRsp { group_version_list: GroupVersion[] }
interface GroupInfo { group_id: number; group_name: string; group_type: number; group_member_list: number[] }
interface GroupInfoRsp { group_info_list: GroupInfo[] }
interface GroupMembersNotify { group_id: number; cur_user_id_list: number[] }
interface OfflineFilesRsp { offline_file_list: OfflineFile[] }
interface KickUser { user_id: number; kick_reason: number }

const Msg = { SingleText: 1, SingleAudio: 2, GroupText: 17, GroupAudio: 18 } as const;
const Single = 1;
const Group = 2;
const Status = { Online: 1, Offline: 2, Leave: 3 } as const;
const HeartbeatEvery = 30_000;
const PageSize = 20;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
};

class Connection {
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

  static async open(url: string): Promise<Connection> {
    return new Connection(await openSocket(url, "the server"));
  }

  send(command: Command, message: Record<string, unknown>): number {
    this.seq = (this.seq % 0xffff) + 1;
    this.socket.send(encode(command, this.seq, message));
    return this.seq;
  }

  request(command: Command, message: Record<string, unknown>): Promise<Frame> {
    return new Promise((resolve) => this.waiting.set(this.send(command, message), resolve));
  }

  async ask<T>(command: Command, message: Record<string, unknown>, reply: Command): Promise<T> {
    return parse<T>(await this.request(command, message), reply);
  }

  close(): void {
    this.socket.close(1000, "logout");
  }
}

/** One message in a conversation: text (possibly with images) or a voice clip. */
interface Line {
  id: number;
  from: number;
  time: number;
  text: string;
  voice?: Voice;
  voiceUrl?: string;
  /** Whether the browser decodes the clip; undefined until the check (started once) answered. */
  playable?: boolean;
  checking?: boolean;
  /** A Speex clip decoded to WAV by the gateway: the object URL, asked for once (on the first play). */
  wav?: Promise<string>;
  /** The clip as shown, kept across re-renders so that a playing clip plays on. */
  box?: HTMLElement;
}

/** A conversation: a person (single) or a group. */
interface Chat {
  key: string;
  type: number;
  id: number;
  lines: Line[];
  unread: number;
  updated: number;
  latest: string;
  /** Whether history older than the first line may exist; undefined until the first page was asked for. */
  older?: boolean;
  loading?: boolean;
}

const state = {
  connection: undefined as Connection | undefined,
  me: 0,
  users: new Map<number, UserInfo>(),
  departments: new Map<number, DepartInfo>(),
  presence: new Map<number, number>(),
  groups: new Map<number, GroupInfo>(),
  chats: new Map<string, Chat>(),
  files: [] as OfflineFile[],
  current: undefined as Chat | undefined,
  tab: "recent",
  /** Whether the user picked a tab since logging in (then login's default choice does not override it). */
  tabPicked: false,
};

const keyOf = (type: number, id: number) => `${type}:${id}`;

function chat(type: number, id: number): Chat {
  const key = keyOf(type, id);
  let found = state.chats.get(key);
  if (!found) {
    found = { key, type, id, lines: [], unread: 0, updated: 0, latest: "" };
    state.chats.set(key, found);
  }

  return found;
}

function name(user: UserInfo | undefined): string {
  return user ? user.user_nick_name || user.user_real_name || String(user.user_id) : "?";
}

function title(c: Chat): string {
  return c.type === Group ? state.groups.get(c.id)?.group_name || `Group ${c.id}` : name(state.users.get(c.id));
}

function presenceOf(user: number): number {
  return state.presence.get(user) ?? Status.Offline;
}

const PresenceText: Record<number, string> = { [Status.Online]: "online", [Status.Offline]: "offline", [Status.Leave]: "away" };

function presenceDot(user: number): HTMLElement {
  const status = presenceOf(user);
  const dot = element("span", `dot ${PresenceText[status] ?? "offline"}`);
  dot.title = PresenceText[status] ?? "offline";
  dot.dataset.presence = PresenceText[status] ?? "offline";
  return dot;
}

function badge(count: number): HTMLElement | undefined {
  return count > 0 ? element("span", "badge", String(count)) : undefined;
}

function matches(text: string): boolean {
  const filter = $<HTMLInputElement>("filter").value.trim().toLowerCase();
  return !filter || text.toLowerCase().includes(filter);
}

/** One row of a list: focusable, opens on click or Enter/Space. */
function row(label: string, open: () => void, extra: (HTMLElement | undefined)[] = [], selected = false): HTMLLIElement {
  const item = element("li");
  item.tabIndex = 0;
  item.setAttribute("role", "option");
  item.setAttribute("aria-selected", String(selected));
  item.append(...extra.filter((e): e is HTMLElement => !!e).slice(0, 1), element("span", "label", label), ...extra.filter((e): e is HTMLElement => !!e).slice(1));
  item.onclick = open;
  item.onkeydown = (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open();
    }
  };
  return item;
}

function renderRecent(): void {
  const list = $("recent");
  const fragment = document.createDocumentFragment();
  const chats = [...state.chats.values()].filter((c) => c.updated > 0 || c.unread > 0).sort((a, b) => b.updated - a.updated);
  for (const c of chats) {
    if (!matches(title(c))) continue;
    const lead = c.type === Single ? presenceDot(c.id) : element("span", "dot group", "#");
    const item = row(title(c), () => void open(c), [lead, element("span", "latest", c.latest), badge(c.unread)], c === state.current);
    item.dataset.session = c.key;
    fragment.append(item);
  }

  if (chats.length === 0) {
    fragment.append(element("li", "empty", "No chats yet: pick someone under Contacts."));
  }

  list.replaceChildren(fragment);
  const total = [...state.chats.values()].reduce((sum, c) => sum + c.unread, 0);
  const counter = $("unread-total");
  counter.hidden = total === 0;
  counter.textContent = String(total);
  document.title = total > 0 ? `(${total}) TeamTalk` : "TeamTalk";
}

function departmentPath(id: number): string {
  const names: string[] = [];
  for (let d = state.departments.get(id), guard = 0; d && guard < 16; d = state.departments.get(d.parent_dept_id), guard++) {
    names.unshift(d.dept_name);
  }

  return names.join(" / ") || "Other";
}

function renderContacts(): void {
  const byDepartment = new Map<number, UserInfo[]>();
  for (const user of state.users.values()) {
    if (user.user_id === state.me || !matches(`${name(user)} ${user.user_real_name}`)) continue;
    const known = state.departments.has(user.department_id) ? user.department_id : 0;
    byDepartment.set(known, [...(byDepartment.get(known) ?? []), user]);
  }

  const order = [...byDepartment.keys()].sort((a, b) => {
    const da = state.departments.get(a);
    const db = state.departments.get(b);
    return (db?.priority ?? -1) - (da?.priority ?? -1) || departmentPath(a).localeCompare(departmentPath(b));
  });
  const fragment = document.createDocumentFragment();
  for (const department of order) {
    const section = element("section", "department");
    section.dataset.department = String(department);
    const people = byDepartment.get(department)!.sort((a, b) =>
      Number(presenceOf(a.user_id) !== Status.Online) - Number(presenceOf(b.user_id) !== Status.Online) || name(a).localeCompare(name(b)));
    const online = people.filter((u) => presenceOf(u.user_id) === Status.Online).length;
    section.append(element("h3", "", `${departmentPath(department)} · ${online}/${people.length}`));
    const list = element("ul");
    list.setAttribute("role", "group");
    for (const user of people) {
      const c = state.chats.get(keyOf(Single, user.user_id));
      const item = row(name(user), () => void open(chat(Single, user.user_id)), [presenceDot(user.user_id), badge(c?.unread ?? 0)], c !== undefined && c === state.current);
      item.dataset.user = String(user.user_id);
      item.dataset.name = user.user_real_name;
      list.append(item);
    }

    section.append(list);
    fragment.append(section);
  }

  $("contacts").replaceChildren(fragment);
}

function renderGroups(): void {
  const fragment = document.createDocumentFragment();
  for (const group of [...state.groups.values()].sort((a, b) => a.group_name.localeCompare(b.group_name))) {
    if (!matches(group.group_name)) continue;
    const c = state.chats.get(keyOf(Group, group.group_id));
    const item = row(group.group_name, () => void open(chat(Group, group.group_id)),
      [element("span", "dot group", "#"), element("span", "latest", `${group.group_member_list.length} members`), badge(c?.unread ?? 0)], c !== undefined && c === state.current);
    item.dataset.group = String(group.group_id);
    fragment.append(item);
  }

  if (state.groups.size === 0) {
    fragment.append(element("li", "empty", "You are in no group."));
  }

  $("groups").replaceChildren(fragment);
}

function renderFiles(): void {
  const fragment = document.createDocumentFragment();
  for (const file of state.files) {
    fragment.append(fileRow(file, name(state.users.get(file.from_user_id)), () => state.me, delivered));
  }

  if (state.files.length === 0) {
    fragment.append(element("li", "empty", "No offline files."));
  }

  $("file-list").replaceChildren(fragment);
  const count = $("files-count");
  count.hidden = state.files.length === 0;
  count.textContent = String(state.files.length);
}

/** A file was downloaded completely: the server is told, as native clients do, and it leaves the list. */
function delivered(file: OfflineFile): void {
  state.connection?.send(Commands.OfflineFileDelete, { from_user_id: file.from_user_id, to_user_id: state.me, task_id: file.task_id });
  state.files = state.files.filter((f) => f.task_id !== file.task_id);
  renderFiles();
}

function renderLists(): void {
  renderRecent();
  renderContacts();
  renderGroups();
}

function showTab(tab: string): void {
  state.tab = tab;
  for (const button of document.querySelectorAll<HTMLButtonElement>(".tabs [role=tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === tab));
  }

  for (const list of ["recent", "contacts", "groups", "files"]) {
    $(list).hidden = list !== tab;
  }

  if (tab === "files") {
    void loadFiles();
  }
}

function timeText(seconds: number): string {
  if (!seconds) return "";
  const date = new Date(seconds * 1000);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A clip's player state: Speex clips always get the gateway-backed player; others once the browser said it decodes them. */
function voiceState(line: Line): string {
  if (isSpeex(line.voice!)) return line.box?.dataset.playable ?? "true";
  return line.playable === undefined ? "checking" : String(line.playable);
}

function renderVoice(line: Line): HTMLElement {
  const clip = line.voice!;
  if (line.box && line.box.dataset.playable === voiceState(line)) {
    return line.box;
  }

  const box = element("span", "voice");
  box.dataset.seconds = String(clip.seconds);
  box.dataset.format = clip.format.name;
  box.dataset.playable = voiceState(line);
  line.voiceUrl ??= URL.createObjectURL(new Blob([clip.audio.slice().buffer], { type: clip.format.mime }));
  if (box.dataset.playable === "checking" && !line.checking) {
    line.checking = true;
    void playable(clip).then((yes) => {
      line.playable = yes;
      if (state.current?.lines.includes(line)) renderMessages(false);
    });
  }

  box.append(element("span", "", `🎤 ${clip.seconds}″`));
  if (isSpeex(clip)) {
    box.append(speexPlayer(line, box));
  } else if (line.playable) {
    const audio = element("audio");
    audio.controls = true;
    audio.preload = "metadata";
    audio.src = line.voiceUrl;
    box.append(audio);
  } else if (box.dataset.playable === "false") {
    box.append(element("span", "why", `${clip.format.name}: this browser has no decoder for it`));
  }

  const download = element("a", "download", "download");
  download.href = line.voiceUrl;
  download.download = `voice-${line.id || "new"}.${clip.format.extension}`;
  box.append(download);
  line.box = box;
  return box;
}

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * A play/pause button and the time for a Speex clip. No browser decodes Speex, so the first play sends the clip to the
 * gateway's decoder (`wav`) and plays the WAV it answers; the WAV is asked for once and kept. When the gateway cannot
 * decode it (no libspeex there, busy, a broken clip) the reason is shown, the button tries again, and the download stays.
 */
function speexPlayer(line: Line, box: HTMLElement): HTMLElement {
  const clip = line.voice!;
  const player = element("span", "player");
  const button = element("button", "play", "▶");
  button.type = "button";
  const time = element("span", "time");
  const progress = element("progress");
  progress.setAttribute("aria-hidden", "true"); // the time says it
  const why = element("span", "why");
  const audio = element("audio");
  audio.preload = "none";
  let loading = false;
  const show = () => {
    const total = Number.isFinite(audio.duration) ? audio.duration : clip.seconds;
    const playing = !audio.paused && !audio.ended;
    time.textContent = `${clock(audio.currentTime)} / ${clock(total)}`;
    progress.max = total || 1;
    progress.value = Math.min(audio.currentTime, progress.max);
    button.textContent = loading ? "…" : playing ? "⏸" : "▶";
    button.setAttribute("aria-label", `${playing ? "Pause" : "Play"} the voice message (${clock(total)})`);
    player.dataset.state = loading ? "loading" : playing ? "playing" : "paused";
  };
  for (const event of ["timeupdate", "loadedmetadata", "durationchange", "play", "pause", "ended"]) {
    audio.addEventListener(event, show);
  }

  button.onclick = async () => {
    if (loading) return;
    if (!audio.paused) {
      audio.pause();
      return;
    }

    if (!audio.src) {
      loading = true;
      show();
      line.wav ??= wav(clip);
      try {
        audio.src = await line.wav;
        why.textContent = "";
        box.dataset.playable = "true";
      } catch (error) {
        line.wav = undefined;
        why.textContent = `${(error as Error).message}; download it to play it`;
        box.dataset.playable = "false";
        return;
      } finally {
        loading = false;
        show();
      }
    }

    try {
      await audio.play();
    } catch (error) {
      why.textContent = `cannot play it: ${(error as Error).message}`;
    }
  };
  show();
  player.append(button, progress, time, audio, why);
  return player;
}

function renderLine(c: Chat, line: Line): HTMLLIElement {
  const item = element("li", line.from === state.me ? "mine" : "");
  item.dataset.id = String(line.id);
  const sender = c.type === Group && line.from !== state.me ? `${name(state.users.get(line.from))} · ` : "";
  item.dataset.meta = `${sender}${timeText(line.time)}`;
  if (line.voice) {
    item.append(renderVoice(line));
    return item;
  }

  for (const part of parts(line.text)) {
    if (part.kind === "text") {
      item.append(part.text);
    } else {
      const link = element("a", "image");
      link.href = part.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      const image = element("img");
      image.src = part.url;
      image.alt = "image";
      image.loading = "lazy";
      image.decoding = "async";
      link.append(image);
      item.append(link);
    }
  }

  return item;
}

function renderMessages(stickToBottom = true): void {
  const list = $("messages");
  const c = state.current;
  if (!c) {
    list.replaceChildren();
    return;
  }

  const fromBottom = list.scrollHeight - list.scrollTop;
  const atBottom = fromBottom - list.clientHeight < 40;
  const fragment = document.createDocumentFragment();
  if (c.older !== false) {
    const more = element("button", "older", c.loading ? "Loading…" : "Load older messages");
    more.type = "button";
    more.id = "older";
    more.disabled = !!c.loading;
    more.onclick = () => void loadOlder(c);
    fragment.append(more);
  }

  for (const line of c.lines) {
    fragment.append(renderLine(c, line));
  }

  list.replaceChildren(fragment);
  list.scrollTop = stickToBottom || atBottom ? list.scrollHeight : list.scrollHeight - fromBottom;
}

function add(c: Chat, line: Line): boolean {
  if (line.id !== 0 && c.lines.some((l) => l.id === line.id)) {
    return false;
  }

  c.lines.push(line);
  c.lines.sort((a, b) => (a.id || Number.MAX_SAFE_INTEGER) - (b.id || Number.MAX_SAFE_INTEGER));
  return true;
}

function lineOf(from: number, id: number, time: number, type: number, body: Uint8Array): Line {
  if (type === Msg.SingleAudio || type === Msg.GroupAudio) {
    const clip = voice(body);
    return clip ? { id, from, time, text: "", voice: clip } : { id, from, time, text: "[voice message that could not be loaded]" };
  }

  return { id, from, time, text: decryptText(body) };
}

function latestText(line: Line): string {
  return line.voice ? `[voice ${line.voice.seconds}″]` : preview(line.text);
}

function readUpTo(c: Chat, msgId: number): void {
  if (msgId > 0) {
    state.connection?.send(Commands.ReadAck, { user_id: 0, session_id: c.id, msg_id: msgId, session_type: c.type });
  }
}

/** One page of history before the oldest line shown (the newest page when nothing is shown yet). */
async function loadOlder(c: Chat): Promise<void> {
  const connection = state.connection;
  if (!connection || c.loading || c.older === false) return;
  c.loading = true;
  if (state.current === c) renderMessages(false);
  const oldest = c.lines.reduce((min, l) => (l.id > 0 && l.id < min ? l.id : min), Number.MAX_SAFE_INTEGER);
  // The first page is the newest even when live messages arrived before the chat was opened (duplicates are dropped).
  const begin = c.older === undefined || oldest === Number.MAX_SAFE_INTEGER ? 0 : oldest - 1;
  try {
    const history = await connection.ask<MsgListRsp>(Commands.ListRequest,
      { user_id: 0, session_type: c.type, session_id: c.id, msg_id_begin: begin, msg_cnt: PageSize }, Commands.ListResponse);
    let latest = 0;
    for (const message of history.msg_list) {
      latest = Math.max(latest, message.msg_id);
      add(c, lineOf(message.from_session_id, message.msg_id, message.create_time, message.msg_type, message.msg_data));
    }

    c.older = history.msg_list.length >= PageSize && (begin === 0 || begin > 1);
    if (begin === 0 && latest > 0) {
      readUpTo(c, latest);
    }
  } finally {
    c.loading = false;
  }

  if (state.current === c) renderMessages(begin === 0);
}

async function open(c: Chat): Promise<void> {
  state.current = c;
  const hadUnread = c.unread;
  c.unread = 0;
  $("peer").textContent = title(c);
  const status = $("peer-status");
  status.textContent = c.type === Single ? PresenceText[presenceOf(c.id)] ?? "" : `${state.groups.get(c.id)?.group_member_list.length ?? "?"} members`;
  status.dataset.presence = c.type === Single ? PresenceText[presenceOf(c.id)] ?? "" : "group";
  for (const id of ["text", "send", "image"]) {
    $<HTMLInputElement>(id).disabled = false;
  }

  $("chat").classList.add("open");
  $("compose-status").textContent = "";
  renderLists();
  renderMessages();
  $<HTMLTextAreaElement>("text").focus();
  if (c.older === undefined) {
    await loadOlder(c);
  } else if (hadUnread > 0) {
    const latest = c.lines.reduce((max, l) => Math.max(max, l.id), 0);
    readUpTo(c, latest);
  }
}

function close(): void {
  state.current = undefined;
  $("chat").classList.remove("open");
  $("peer").textContent = "Pick someone to chat with";
  $("peer-status").textContent = "";
  for (const id of ["text", "send", "image"]) {
    $<HTMLInputElement>(id).disabled = true;
  }

  renderMessages();
  renderLists();
  const list = $(state.tab);
  (list.querySelector<HTMLElement>("[aria-selected=true]") ?? list.querySelector<HTMLElement>("li[tabindex]"))?.focus();
}

async function loadGroups(ids: number[]): Promise<void> {
  const connection = state.connection;
  const unknown = [...new Set(ids)].filter((id) => id > 0);
  if (!connection || unknown.length === 0) return;
  const info = await connection.ask<GroupInfoRsp>(Commands.GroupInfoRequest,
    { user_id: 0, group_version_list: unknown.map((group_id) => ({ group_id, version: 0 })) }, Commands.GroupInfoResponse);
  for (const group of info.group_info_list) {
    state.groups.set(group.group_id, group);
  }

  renderLists();
  if (state.current?.type === Group) $("peer").textContent = title(state.current);
}

async function loadFiles(): Promise<void> {
  const connection = state.connection;
  if (!connection) return;
  const reply = await connection.ask<OfflineFilesRsp>(Commands.OfflineFilesRequest, { user_id: 0 }, Commands.OfflineFilesResponse);
  state.files = reply.offline_file_list;
  renderFiles();
}

function received(frame: Frame): void {
  const connection = state.connection;
  if (!connection) return;
  if (is(frame, Commands.MessageData)) {
    const message = parse<MsgData>(frame, Commands.MessageData);
    const group = message.msg_type === Msg.GroupText || message.msg_type === Msg.GroupAudio;
    if (!group && message.msg_type !== Msg.SingleText && message.msg_type !== Msg.SingleAudio) return;
    const type = group ? Group : Single;
    const id = group || message.from_user_id === state.me ? message.to_session_id : message.from_user_id;
    connection.send(Commands.MessageDataAck, { user_id: state.me, session_id: id, msg_id: message.msg_id, session_type: type });
    const c = chat(type, id);
    const line = lineOf(message.from_user_id, message.msg_id, message.create_time, message.msg_type, message.msg_data);
    if (!add(c, line)) return;
    c.updated = Math.max(c.updated, message.create_time || Math.floor(Date.now() / 1000));
    c.latest = latestText(line);
    if (group && !state.groups.has(id)) void loadGroups([id]);
    if (c === state.current && document.visibilityState === "visible") {
      readUpTo(c, message.msg_id);
      renderMessages(line.from === state.me);
    } else if (message.from_user_id !== state.me) {
      c.unread += 1;
      if (c === state.current) renderMessages(false);
    }

    renderLists();
  } else if (is(frame, Commands.ReadNotify)) {
    // Read on another of my devices.
    const read = parse<ReadNotify>(frame, Commands.ReadNotify);
    const c = state.chats.get(keyOf(read.session_type, read.session_id));
    if (c) {
      c.unread = 0;
      renderLists();
    }
  } else if (is(frame, Commands.StatusNotify)) {
    const { user_stat } = parse<UserStatNotify>(frame, Commands.StatusNotify);
    state.presence.set(user_stat.user_id, user_stat.status);
    renderLists();
    if (state.current?.type === Single && state.current.id === user_stat.user_id) {
      $("peer-status").textContent = PresenceText[user_stat.status] ?? "";
      $("peer-status").dataset.presence = PresenceText[user_stat.status] ?? "";
    }
  } else if (is(frame, Commands.GroupMembersNotify)) {
    const change = parse<GroupMembersNotify>(frame, Commands.GroupMembersNotify);
    if (change.cur_user_id_list.includes(state.me)) {
      void loadGroups([change.group_id]);
    } else {
      state.groups.delete(change.group_id);
      renderLists();
    }
  } else if (is(frame, Commands.FileNotify)) {
    void loadFiles();
  } else if (is(frame, Commands.KickUser)) {
    // The protocol has two reasons; an administrator disabling the account (or ending its sessions) sends the first.
    const { kick_reason } = parse<KickUser>(frame, Commands.KickUser);
    loggedOut(kick_reason === 2
      ? "Signed out: you signed in on your phone, which signs this client out."
      : "Signed out: this account signed in elsewhere, or an administrator ended its sessions.");
  }
}

function loggedOut(reason: string): void {
  state.connection = undefined;
  state.current = undefined;
  state.chats.clear();
  state.groups.clear();
  state.presence.clear();
  state.tabPicked = false;
  $("chat").hidden = true;
  $("chat").classList.remove("open");
  $("login").hidden = false;
  $("login-status").textContent = reason;
}

async function login(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const status = $("login-status");
  status.textContent = "Connecting…";
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  let connection: Connection;
  try {
    connection = await Connection.open(url);
  } catch (error) {
    status.textContent = (error as Error).message;
    return;
  }

  const reply = await connection.ask<LoginRes>(Commands.LoginRequest, {
    user_name: $<HTMLInputElement>("user").value.trim(),
    password: passwordHash($<HTMLInputElement>("password").value),
    online_status: 1,
    client_type: 1,
    client_version: "TeamTalk.Orleans web",
  }, Commands.LoginResponse);
  if (reply.result_code !== 0 || !reply.user_info) {
    status.textContent = reply.result_string || "login refused";
    return;
  }

  state.connection = connection;
  state.me = reply.user_info.user_id;
  state.users.set(state.me, reply.user_info);
  connection.onFrame = received;
  connection.onClose = (reason) => { if (state.connection === connection) loggedOut(reason); };
  $("me").textContent = name(reply.user_info);
  $("login").hidden = true;
  $("chat").hidden = false;
  status.textContent = "";

  // Independent look-ups, asked for at once.
  const [departments, all, recent, unread, groupList] = await Promise.all([
    connection.ask<DepartmentRsp>(Commands.DepartmentRequest, { user_id: 0, latest_update_time: 0 }, Commands.DepartmentResponse),
    connection.ask<AllUserRsp>(Commands.AllUserRequest, { user_id: 0, latest_update_time: 0 }, Commands.AllUserResponse),
    connection.ask<RecentRsp>(Commands.RecentSessionRequest, { user_id: 0, latest_update_time: 0 }, Commands.RecentSessionResponse),
    connection.ask<UnreadRsp>(Commands.UnreadRequest, { user_id: 0 }, Commands.UnreadResponse),
    connection.ask<GroupListRsp>(Commands.GroupListRequest, { user_id: 0 }, Commands.GroupListResponse),
  ]);
  for (const department of departments.dept_list) {
    if (department.dept_status === 0) state.departments.set(department.dept_id, department);
  }

  for (const user of all.user_list) {
    if (user.status !== 3) state.users.set(user.user_id, user);
  }

  for (const session of recent.contact_session_list) {
    const c = chat(session.session_type, session.session_id);
    c.updated = session.updated_time;
    c.latest = session.latest_msg_type === Msg.SingleAudio || session.latest_msg_type === Msg.GroupAudio ? "[voice]" : preview(decryptText(session.latest_msg_data));
  }

  for (const info of unread.unreadinfo_list) {
    chat(info.session_type, info.session_id).unread = info.unread_cnt;
  }

  renderLists();
  if (!state.tabPicked) {
    showTab(recent.contact_session_list.length > 0 || unread.unreadinfo_list.length > 0 ? "recent" : "contacts");
  }

  const stats = await connection.ask<UsersStatRsp>(Commands.UsersStatusRequest,
    { user_id: 0, user_id_list: [...state.users.keys()] }, Commands.UsersStatusResponse);
  for (const stat of stats.user_stat_list) {
    state.presence.set(stat.user_id, stat.status);
  }

  renderLists();
  const groupIds = [...groupList.group_version_list.map((g) => g.group_id), ...[...state.chats.values()].filter((c) => c.type === Group).map((c) => c.id)];
  await Promise.all([loadGroups(groupIds), loadFiles()]);
}

async function sendBody(c: Chat, type: number, body: Uint8Array, line: Line): Promise<void> {
  const connection = state.connection;
  if (!connection) return;
  c.lines.push(line);
  c.updated = Math.floor(Date.now() / 1000);
  c.latest = latestText(line);
  renderMessages();
  renderRecent();
  const ack = await connection.ask<MsgDataAck>(Commands.MessageData, {
    from_user_id: state.me,
    to_session_id: c.id,
    msg_id: 0,
    create_time: Math.floor(Date.now() / 1000),
    msg_type: type,
    msg_data: body,
  }, Commands.MessageDataAck);
  line.id = ack.msg_id;
  if (state.current === c) {
    const item = $("messages").querySelector<HTMLElement>("li[data-id='0']");
    if (item) item.dataset.id = String(ack.msg_id);
  }
}

function sendText(c: Chat, text: string): Promise<void> {
  const line: Line = { id: 0, from: state.me, time: Math.floor(Date.now() / 1000), text };
  return sendBody(c, c.type === Group ? Msg.GroupText : Msg.SingleText, encryptText(text), line);
}

async function sendImage(file: Blob): Promise<void> {
  const c = state.current;
  const status = $("compose-status");
  if (!c) return;
  if (!isSendableImage(file)) {
    status.textContent = `${file.type || "This file"} cannot be sent: only images (png, jpg, gif, webp, bmp).`;
    return;
  }

  status.textContent = "Uploading the image…";
  try {
    const url = await uploadImage(file);
    status.textContent = "";
    await sendText(c, imageText(url));
  } catch (error) {
    status.textContent = (error as Error).message;
  }
}

function compose(event: Event): void {
  event.preventDefault();
  const input = $<HTMLTextAreaElement>("text");
  const text = input.value;
  if (!text.trim() || !state.connection || !state.current) return;
  input.value = "";
  input.style.height = "";
  void sendText(state.current, text);
}

/** Up/Down (and Home/End) move between the rows of the list that has the focus. */
function listKeys(event: KeyboardEvent): void {
  const current = event.target as HTMLElement;
  if (current.tagName !== "LI") return;
  const container = current.closest(".list");
  if (!container) return;
  const rows = [...container.querySelectorAll<HTMLElement>("li[tabindex]")];
  const index = rows.indexOf(current);
  const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 }[event.key];
  if (next !== undefined && rows[next]) {
    event.preventDefault();
    rows[next].focus();
  }
}

$<HTMLFormElement>("login").addEventListener("submit", (event) => void login(event));
$<HTMLFormElement>("compose").addEventListener("submit", compose);
$<HTMLTextAreaElement>("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) compose(event);
});
$<HTMLTextAreaElement>("text").addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  input.style.height = "";
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
});
$<HTMLTextAreaElement>("text").addEventListener("paste", (event) => {
  const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith("image/"));
  if (file) {
    event.preventDefault();
    void sendImage(file);
  }
});
$<HTMLInputElement>("image").addEventListener("change", (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = "";
  if (file) void sendImage(file);
});
$("messages").addEventListener("scroll", () => {
  const c = state.current;
  if (c && c.older && !c.loading && $("messages").scrollTop < 40) void loadOlder(c);
});
$("messages").addEventListener("dragover", (event) => event.preventDefault());
$("messages").addEventListener("drop", (event) => {
  const file = [...(event.dataTransfer?.files ?? [])][0];
  if (file && state.current) {
    event.preventDefault();
    void sendImage(file);
  }
});
$<HTMLInputElement>("filter").addEventListener("input", renderLists);
$<HTMLInputElement>("filter").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") {
    event.preventDefault();
    $(state.tab).querySelector<HTMLElement>("li[tabindex]")?.focus();
  }
});
for (const tab of document.querySelectorAll<HTMLButtonElement>(".tabs [role=tab]")) {
  tab.addEventListener("click", () => {
    state.tabPicked = true;
    showTab(tab.dataset.tab!);
  });
  tab.addEventListener("keydown", (event) => {
    const tabs = [...document.querySelectorAll<HTMLButtonElement>(".tabs [role=tab]")];
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step !== 0) {
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      next.focus();
      state.tabPicked = true;
      showTab(next.dataset.tab!);
    }
  });
}
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !$("chat").hidden) {
    if ($<HTMLInputElement>("filter").value && document.activeElement === $("filter")) {
      $<HTMLInputElement>("filter").value = "";
      renderLists();
    } else if (state.current) {
      close();
    }
  } else if (event.key === "/" && document.activeElement === document.body && !$("chat").hidden) {
    event.preventDefault();
    $("filter").focus();
  } else {
    listKeys(event);
  }
});
document.addEventListener("visibilitychange", () => {
  const c = state.current;
  if (document.visibilityState === "visible" && c && c.unread > 0) {
    c.unread = 0;
    readUpTo(c, c.lines.reduce((max, l) => Math.max(max, l.id), 0));
    renderLists();
  }
});
$("back").addEventListener("click", close);
$("logout").addEventListener("click", () => {
  const connection = state.connection;
  if (connection) {
    connection.send(Commands.LogoutRequest, {});
    state.connection = undefined;
    connection.close();
  }

  loggedOut("");
});
