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
  AllUserRequest: { service: 2, command: 0x0208, type: "IM.Buddy.IMAllUserReq" },
  AllUserResponse: { service: 2, command: 0x0209, type: "IM.Buddy.IMAllUserRsp" },
  MessageData: { service: 3, command: 0x0301, type: "IM.Message.IMMsgData" },
  MessageDataAck: { service: 3, command: 0x0302, type: "IM.Message.IMMsgDataAck" },
  ReadAck: { service: 3, command: 0x0303, type: "IM.Message.IMMsgDataReadAck" },
  ListRequest: { service: 3, command: 0x0309, type: "IM.Message.IMGetMsgListReq" },
  ListResponse: { service: 3, command: 0x030a, type: "IM.Message.IMGetMsgListRsp" },
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
