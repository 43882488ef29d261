// A real-browser check of the built client: headless Debian chromium driven over the DevTools protocol (no browser
// download). Two tabs log in as USER_A and USER_B, A opens B and sends a text, B sees the unread badge, opens A and
// reads it, replies, and A reads the reply. Screenshots of both tabs go to OUT_DIR. Prints "SMOKE OK" on success.
// The DevTools socket uses the ws package (Debian 12's Node 18 has no WebSocket global).
// usage: node scripts/browser-smoke.mjs BASE_URL USER_A USER_B PASSWORD OUT_DIR
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

const [base, userA, userB, password, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: browser-smoke.mjs BASE_URL USER_A USER_B PASSWORD OUT_DIR");
  process.exit(2);
}

mkdirSync(outDir, { recursive: true });
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => { const p = probe.address().port; probe.close(() => resolve(p)); });
});
const profile = mkdtempSync(join(tmpdir(), "tt-chromium-"));
const chrome = spawn(process.env.CHROMIUM ?? "chromium",
  ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank"],
  { stdio: "ignore" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, check, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await check();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out: ${what}`);
}

async function tab(name) {
  const target = await (await fetch(`http://127.0.0.1:${port}/json/new?${encodeURIComponent(base)}`, { method: "PUT" })).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let id = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) { pending.get(message.id)(message); pending.delete(message.id); }
  };
  const call = (method, params = {}) => new Promise((resolve) => { const i = ++id; pending.set(i, resolve); socket.send(JSON.stringify({ id: i, method, params })); });
  const js = async (expression) => {
    const reply = await call("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (reply.result?.exceptionDetails) throw new Error(`${name}: ${JSON.stringify(reply.result.exceptionDetails)}`);
    return reply.result?.result?.value;
  };
  const shot = async (file) => writeFileSync(file, Buffer.from((await call("Page.captureScreenshot", { format: "png" })).result.data, "base64"));
  await until(`${name}: the page`, () => js("document.readyState === 'complete' && !!document.getElementById('login')"));
  return { name, js, shot, close: () => socket.close() };
}

const login = async (t, user) => {
  await t.js(`document.getElementById('user').value=${JSON.stringify(user)}; document.getElementById('password').value=${JSON.stringify(password)}; document.getElementById('login').requestSubmit(); true`);
  await until(`${t.name}: logged in with contacts`, () => t.js("document.getElementById('contacts').children.length > 0"));
};
const open = (t, user) => until(`${t.name}: contact ${user}`, () => t.js(`(() => { const li = document.querySelector('#contacts li[data-name=${JSON.stringify(user)}]'); li?.click(); return !!li; })()`));
const send = (t, text) => t.js(`document.getElementById('text').value=${JSON.stringify(text)}; document.getElementById('compose').requestSubmit(); true`);
const lines = (t) => t.js("[...document.querySelectorAll('#messages li')].map(li => li.textContent)");

let failed = false;
try {
  await until("chromium's DevTools endpoint", async () => { try { return (await fetch(`http://127.0.0.1:${port}/json/version`)).ok; } catch { return false; } });
  const a = await tab(userA);
  const b = await tab(userB);
  await login(a, userA);
  await login(b, userB);
  await open(a, userB);
  const first = `hello ${userB}, from the browser ${Date.now()}`;
  await send(a, first);
  await until(`${userB}: unread badge`, () => b.js(`!!document.querySelector('#contacts li[data-name=${JSON.stringify(userA)}] .badge')`));
  await open(b, userA);
  await until(`${userB}: reads the text`, async () => (await lines(b)).includes(first));
  const reply = `hi ${userA} ${Date.now()}`;
  await send(b, reply);
  await until(`${userA}: reads the reply`, async () => (await lines(a)).includes(reply));
  await a.shot(join(outDir, "web-chat-a.png"));
  await b.shot(join(outDir, "web-chat-b.png"));
  a.close();
  b.close();
  console.log("SMOKE OK");
} catch (error) {
  failed = true;
  console.error(`SMOKE FAILED: ${error.message}`);
} finally {
  chrome.kill();
  await sleep(200);
  rmSync(profile, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
