// TeamTalk framing and messages: a 16-byte big-endian header (length, version, flag, service, command, seq, reserved)
// and a protobuf body, one frame per WebSocket message. Messages come from the server's own proto/ files.
import protobuf from "protobufjs/light";
import descriptor from "./generated/proto.json";

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

export const HeaderSize = 16;

export const Commands = {
  Heartbeat: { service: 7, command: 0x0701, type: "IM.Other.IMHeartBeat" },
  LoginRequest: { service: 1, command: 0x0103, type: "IM.Login.IMLoginReq" },
  LoginResponse: { service: 1, command: 0x0104, type: "IM.Login.IMLoginRes" },
  LogoutRequest: { service: 1, command: 0x0105, type: "IM.Login.IMLogoutReq" },
  KickUser: { service: 1, command: 0x0107, type: "IM.Login.IMKickUser" },
  RecentSessionRequest: { service: 2, command: 0x0201, type: "IM.Buddy.IMRecentContactSessionReq" },
  RecentSessionResponse: { service: 2, command: 0x0202, type: "IM.Buddy.IMRecentContactSessionRsp" },
  StatusNotify: { service: 2, command: 0x0203, type: "IM.Buddy.IMUserStatNotify" },
  AllUserRequest: { service: 2, command: 0x0208, type: "IM.Buddy.IMAllUserReq" },
  AllUserResponse: { service: 2, command: 0x0209, type: "IM.Buddy.IMAllUserRsp" },
  UsersStatusRequest: { service: 2, command: 0x020a, type: "IM.Buddy.IMUsersStatReq" },
  UsersStatusResponse: { service: 2, command: 0x020b, type: "IM.Buddy.IMUsersStatRsp" },
  DepartmentRequest: { service: 2, command: 0x0210, type: "IM.Buddy.IMDepartmentReq" },
  DepartmentResponse: { service: 2, command: 0x0211, type: "IM.Buddy.IMDepartmentRsp" },
  MessageData: { service: 3, command: 0x0301, type: "IM.Message.IMMsgData" },
  MessageDataAck: { service: 3, command: 0x0302, type: "IM.Message.IMMsgDataAck" },
  ReadAck: { service: 3, command: 0x0303, type: "IM.Message.IMMsgDataReadAck" },
  ReadNotify: { service: 3, command: 0x0304, type: "IM.Message.IMMsgDataReadNotify" },
  UnreadRequest: { service: 3, command: 0x0307, type: "IM.Message.IMUnreadMsgCntReq" },
  UnreadResponse: { service: 3, command: 0x0308, type: "IM.Message.IMUnreadMsgCntRsp" },
  ListRequest: { service: 3, command: 0x0309, type: "IM.Message.IMGetMsgListReq" },
  ListResponse: { service: 3, command: 0x030a, type: "IM.Message.IMGetMsgListRsp" },
  GroupListRequest: { service: 4, command: 0x0401, type: "IM.Group.IMNormalGroupListReq" },
  GroupListResponse: { service: 4, command: 0x0402, type: "IM.Group.IMNormalGroupListRsp" },
  GroupInfoRequest: { service: 4, command: 0x0403, type: "IM.Group.IMGroupInfoListReq" },
  GroupInfoResponse: { service: 4, command: 0x0404, type: "IM.Group.IMGroupInfoListRsp" },
  GroupMembersNotify: { service: 4, command: 0x040b, type: "IM.Group.IMGroupChangeMemberNotify" },
  FileLoginRequest: { service: 5, command: 0x0501, type: "IM.File.IMFileLoginReq" },
  FileLoginResponse: { service: 5, command: 0x0502, type: "IM.File.IMFileLoginRsp" },
  FileState: { service: 5, command: 0x0503, type: "IM.File.IMFileState" },
  FilePullRequest: { service: 5, command: 0x0504, type: "IM.File.IMFilePullDataReq" },
  FilePullResponse: { service: 5, command: 0x0505, type: "IM.File.IMFilePullDataRsp" },
  FileNotify: { service: 5, command: 0x0508, type: "IM.File.IMFileNotify" },
  OfflineFilesRequest: { service: 5, command: 0x0509, type: "IM.File.IMFileHasOfflineReq" },
  OfflineFilesResponse: { service: 5, command: 0x050a, type: "IM.File.IMFileHasOfflineRsp" },
  OfflineFileDelete: { service: 5, command: 0x050c, type: "IM.File.IMFileDelOfflineReq" },
} as const;

export type Command = (typeof Commands)[keyof typeof Commands];

export interface Frame {
  service: number;
  command: number;
  seq: number;
  body: Uint8Array;
}

/** One frame: header then the encoded message. */
export function encode(command: Command, seq: number, message: Record<string, unknown>): Uint8Array {
  const type = root.lookupType(command.type);
  const problem = type.verify(message);
  if (problem) {
    throw new Error(`${command.type}: ${problem}`);
  }

  const body = type.encode(type.fromObject(message)).finish();
  const frame = new Uint8Array(HeaderSize + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, frame.length);
  view.setUint16(4, 1);
  view.setUint16(6, 0);
  view.setUint16(8, command.service);
  view.setUint16(10, command.command);
  view.setUint16(12, seq);
  view.setUint16(14, 0);
  frame.set(body, HeaderSize);
  return frame;
}

/** A WebSocket to url once it is open (binary messages as ArrayBuffers); fails with "cannot reach <what>". */
export function openSocket(url: string, what: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error(`cannot reach ${what}`));
  });
}

/** A received message: exactly one frame, or an error. */
export function decodeFrame(data: ArrayBuffer): Frame {
  const view = new DataView(data);
  if (data.byteLength < HeaderSize || view.getUint32(0) !== data.byteLength) {
    throw new Error(`not one frame: ${data.byteLength} bytes`);
  }

  return { service: view.getUint16(8), command: view.getUint16(10), seq: view.getUint16(12), body: new Uint8Array(data, HeaderSize) };
}

export function is(frame: Frame, command: Command): boolean {
  return frame.service === command.service && frame.command === command.command;
}

/** The body as a plain object (enums as numbers, bytes as Uint8Array, 64-bit as numbers). */
export function parse<T>(frame: Frame, command: Command): T {
  const type = root.lookupType(command.type);
  return type.toObject(type.decode(frame.body), { longs: Number, enums: Number, bytes: Uint8Array as unknown as StringConstructor, defaults: true }) as T;
}
