// A real-browser check of the built client: headless Debian chromium driven by playwright-core (no browser download),
// USER_A and USER_B in two browser contexts. A writes twice to B, who sees the unread badge count 1 then 2 and cleared
// when B opens the chat; B answers while A is in another chat, and A sees its badge count and clear the same way; then
// B logs out and A sees B offline, B logs back in and A sees B online. Screenshots of both go to OUT_DIR
// (web-chat-a.png, web-chat-b.png). Prints "SMOKE OK" on success.
// usage: node scripts/browser-smoke.mjs BASE_URL USER_A USER_B PASSWORD OUT_DIR
import { contacts, logIn, logOut, openChat, presence, run, sees, send, unread, webClient } from "./browser-lib.mjs";

const [base, userA, userB, password, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: browser-smoke.mjs BASE_URL USER_A USER_B PASSWORD OUT_DIR");
  process.exit(2);
}

await run("SMOKE", outDir, async (browser, shot) => {
  const a = await webClient(browser, base, userA);
  const b = await webClient(browser, base, userB);
  await logIn(a, userA, password);
  await logIn(b, userB, password);
  await presence(a, userB, true);
  const elsewhere = (await contacts(a)).find((n) => n !== userA && n !== userB);
  if (!elsewhere) throw new Error("a third contact is needed for A to be in another chat");

  const stamp = Date.now().toString(36);
  const first = `hello ${userB}, from the browser ${stamp}`;
  const second = `are you there, ${userB}? ${stamp}`;
  await openChat(a, userB);
  await send(a, first);
  await unread(b, userA, 1);
  await send(a, second);
  await unread(b, userA, 2);
  await openChat(b, userA);
  await unread(b, userA, 0);
  await sees(b, first);
  await sees(b, second);

  await openChat(a, elsewhere);
  const reply = `hi ${userA}, here I am ${stamp}`;
  await send(b, reply);
  await unread(a, userB, 1);
  await openChat(a, userB);
  await unread(a, userB, 0);
  await sees(a, reply);
  const last = `good, talk soon ${stamp}`;
  await send(a, last);
  await sees(b, last);
  await shot(a.page, "web-chat-a.png");
  await shot(b.page, "web-chat-b.png");

  await logOut(b);
  await presence(a, userB, false);
  await logIn(b, userB, password);
  await presence(a, userB, true);
});
