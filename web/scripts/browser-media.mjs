// A real-browser check of the built client's media, groups and presence, driven by playwright-core over Debian's
// chromium (no browser download; CHROMIUM overrides the executable). The browser user works against a native-protocol
// client that a test runs alongside; the two keep step over stdio: this script prints "STEP <name>" when it reached a
// point and waits for a line on stdin before it goes on where the native side has to act first.
//   1. login; the department heading and the native user's presence (online) are shown; STEP logged-in
//   2. (stdin) a third user came online: its dot turns online; STEP saw-online; (stdin) it left: offline; STEP saw-offline
//   3. the group (from recent chats/groups) opens with its history line; STEP group-open; (stdin) a live group line
//      arrives; screenshot web-group.png; STEP group-live
//   4. opens the native user, sends TEXT and the image file IMAGE (through msfs); STEP sent
//   5. (stdin) the native user sent a text, a WAV voice clip and an Ogg Speex one: the text shows, the WAV clip is
//      playable (an audio element with its duration), the Speex clip shows its duration and a download, and its play
//      button (pressed with the keyboard) plays the WAV the gateway decoded (3 s long, time advancing, no media error)
//      and pauses; screenshot web-media.png (and web-phone.png at a phone's width); prints "MEDIA OK"
// usage: node scripts/browser-media.mjs BASE_URL USER PASSWORD NATIVE_NAME THIRD_NAME DEPARTMENT GROUP TEXT IMAGE OUT_DIR
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [base, user, password, nativeName, thirdName, department, group, text, imagePath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: browser-media.mjs BASE_URL USER PASSWORD NATIVE_NAME THIRD_NAME DEPARTMENT GROUP TEXT IMAGE OUT_DIR");
  process.exit(2);
}

mkdirSync(outDir, { recursive: true });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const step = (name) => console.log(`STEP ${name}`);
async function proceed(expected) {
  const { value, done } = await lines.next();
  if (done || value.trim() !== expected) throw new Error(`expected "${expected}" on stdin, got ${done ? "the end" : JSON.stringify(value)}`);
}

const timeout = 20_000;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("console", (message) => console.error(`console: ${message.text()}`));
  await page.goto(base);
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.press("#password", "Enter");
  await page.waitForSelector("#chat:not([hidden])");

  // 1. Contacts by department, with presence.
  await page.click("#tab-contacts");
  const contact = (name) => page.locator(`#contacts li[data-name="${name}"]`);
  await page.locator("#contacts .department h3", { hasText: department }).waitFor();
  const heading = await contact(nativeName).locator("xpath=ancestor::section[1]/h3").textContent();
  if (!heading.includes(department)) throw new Error(`${nativeName} is under "${heading}", not ${department}`);
  await contact(nativeName).locator('.dot[data-presence="online"]').waitFor();
  step("logged-in");

  // 2. Presence changes live.
  await proceed("third-online");
  await contact(thirdName).locator('.dot[data-presence="online"]').waitFor();
  step("saw-online");
  await proceed("third-offline");
  await contact(thirdName).locator('.dot[data-presence="offline"]').waitFor();
  step("saw-offline");

  // 3. The group: listed, its history, a live message, Esc closes it.
  await page.click("#tab-groups");
  await page.locator("#groups li", { hasText: group }).click();
  const messages = page.locator("#messages li");
  await messages.filter({ hasText: "group history line" }).waitFor();
  step("group-open");
  await proceed("group-live");
  await messages.filter({ hasText: "group live line" }).waitFor();
  await page.screenshot({ path: join(outDir, "web-group.png") });
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.getElementById("peer").textContent === "Pick someone to chat with");
  step("group-live");

  // 4. To the native user: a text typed with Enter, and an image picked as a file.
  await page.click("#tab-contacts");
  await contact(nativeName).click();
  await page.locator("#text").fill(text);
  await page.locator("#text").press("Enter");
  await messages.filter({ hasText: text }).waitFor();
  await page.setInputFiles("#image", { name: "picture.png", mimeType: "image/png", buffer: readFileSync(imagePath) });
  const sentImage = page.locator("#messages li.mine img");
  await sentImage.waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("#messages li.mine img")].some((i) => i.complete && i.naturalWidth > 0));
  await page.waitForFunction(() => !document.querySelector("#messages li[data-id='0']"));
  step("sent");

  // 5. From the native user: a text and two voice clips.
  await proceed("native-sent");
  await messages.filter({ hasText: "hello from the native client" }).waitFor();
  const wavClip = page.locator('#messages .voice[data-format="WAV"][data-playable="true"]');
  await wavClip.locator("audio").waitFor();
  const seconds = await wavClip.locator("audio").evaluate((audio) => new Promise((resolve, reject) => {
    const done = () => resolve(audio.duration);
    if (audio.readyState >= 1) done(); else { audio.onloadedmetadata = done; audio.onerror = () => reject(new Error("the clip does not load")); }
  }));
  if (!(seconds > 0.9 && seconds < 1.1)) throw new Error(`the WAV clip lasts ${seconds} s, not 1 s`);
  const playableLabel = await wavClip.getAttribute("data-seconds");
  if (playableLabel !== "1") throw new Error(`the WAV clip is labelled ${playableLabel} s`);

  // The Speex clip (a real 3 s recording): its duration, a download, and a player the gateway's decoder feeds.
  const speex = page.locator('#messages .voice[data-format="Ogg Speex"]');
  await speex.waitFor();
  if ((await speex.getAttribute("data-seconds")) !== "3") throw new Error("the Speex clip does not show its 3 s");
  const download = await speex.locator("a.download").getAttribute("download");
  if (!download?.endsWith(".spx")) throw new Error(`the Speex clip downloads as ${download}`);
  const play = speex.locator("button.play");
  await play.focus();
  await page.keyboard.press("Enter"); // keyboard-driven, like the other controls
  await speex.locator('.player[data-state="playing"]').waitFor();
  const played = await speex.locator("audio").evaluate((audio) => new Promise((resolve, reject) => {
    const check = () => {
      if (audio.error) reject(new Error(`the decoded clip does not play (media error ${audio.error.code})`));
      else if (audio.currentTime > 0.3) resolve({ duration: audio.duration, time: audio.currentTime });
    };
    audio.addEventListener("timeupdate", check);
    audio.addEventListener("error", check);
    check();
  }));
  if (!(played.duration > 2.9 && played.duration < 3.1)) throw new Error(`the decoded Speex clip lasts ${played.duration} s, not 3 s`);
  if ((await speex.getAttribute("data-playable")) !== "true") throw new Error(`the Speex clip says: ${await speex.locator(".why").textContent()}`);
  await page.keyboard.press("Space"); // pause
  await speex.locator('.player[data-state="paused"]').waitFor();
  const label = await play.getAttribute("aria-label");
  if (!label?.startsWith("Play the voice message")) throw new Error(`the paused player is labelled "${label}"`);
  await page.screenshot({ path: join(outDir, "web-media.png") });
  await page.setViewportSize({ width: 390, height: 760 });
  await page.screenshot({ path: join(outDir, "web-phone.png") });
  console.log("MEDIA OK");
} catch (error) {
  failed = true;
  console.error(`MEDIA FAILED: ${error.message}`);
  for (const page of browser.contexts().flatMap((c) => c.pages())) {
    const html = await page.locator("aside").innerHTML().catch(() => "(no page)");
    console.error(`the lists then: ${html.slice(0, 4000)}`);
    await page.screenshot({ path: join(outDir, "web-media-failed.png") }).catch(() => {});
  }
} finally {
  await browser.close();
}

process.exit(failed ? 1 : 0);
