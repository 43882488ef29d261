// What the browser scripts share: Debian's chromium driven by playwright-core (which never downloads a browser), one
// browser context per person, and the web client's steps (log in, open a contact, send, read) by its element ids.
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { chromium } from "playwright-core";

export const Viewport = { width: 1280, height: 800 };
const StepTimeout = 30_000;

/** The chromium executable: $CHROMIUM, else `chromium` on PATH (Debian's package). */
function chromiumPath() {
  const wanted = process.env.CHROMIUM ?? "chromium";
  if (wanted.includes("/")) return wanted;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, wanted);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory: try the next one
    }
  }
  throw new Error(`${wanted} is not on PATH (apt-get install chromium, or set CHROMIUM)`);
}

/** Runs body(browser, shot) against a headless chromium; prints `${label} OK` or `${label} FAILED: why` and exits 0 or 1. */
export async function run(label, outDir, body) {
  mkdirSync(outDir, { recursive: true });
  let browser;
  let code = 0;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    await body(browser, (page, file) => page.screenshot({ path: join(outDir, file) }));
    console.log(`${label} OK`);
  } catch (error) {
    code = 1;
    console.error(`${label} FAILED: ${error?.stack ?? error}`);
  } finally {
    await browser?.close();
  }

  process.exit(code);
}

/** A fresh browser context (its own cookies and storage: another person) with one page. */
export async function person(browser, who) {
  const context = await browser.newContext({ viewport: Viewport });
  context.setDefaultTimeout(StepTimeout);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`${who}: page error: ${error.message}`));
  return { who, context, page };
}

/** The web chat client of one person, at base. */
export async function webClient(browser, base, who) {
  const p = await person(browser, who);
  await p.page.goto(base);
  return p;
}

const contact = (page, name) => page.locator(`#contacts li[data-name="${name}"]`);

/**
 * Shows the Contacts tab (people by department, each with a presence dot and an unread badge). Always clicked, even
 * when it looks selected: during login the client picks its opening tab once its lists have loaded, unless the user
 * picked one, so an unclicked tab can be switched away from under the test.
 */
async function showContacts(page) {
  await page.click("#tab-contacts");
  await page.locator("#contacts").waitFor();
}

/** The login names in the contact list. */
export async function contacts({ page }) {
  await showContacts(page);
  await page.locator("#contacts li[data-name]").first().waitFor();
  return page.$$eval("#contacts li[data-name]", (items) => items.map((li) => li.dataset.name));
}

/** Fills the login form and submits it. */
export async function submitLogin({ page }, user, password) {
  await page.locator("#user").waitFor();
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
}

/** Logs in and waits for the contact list. */
export async function logIn(client, user, password) {
  await submitLogin(client, user, password);
  await client.page.locator("#chat").waitFor();
  await contacts(client);
}

/** Logs in and waits for the refusal on the login screen; returns the message shown. */
export async function logInRefused(client, user, password) {
  await submitLogin(client, user, password);
  return loginMessage(client);
}

/** Waits for the login screen with a message on it (after a refusal or being thrown out); returns the message. */
export async function loginMessage({ page }) {
  await page.locator("#chat").waitFor({ state: "hidden" });
  await page.waitForFunction(() => {
    const text = document.getElementById("login-status")?.textContent ?? "";
    return text !== "" && !text.startsWith("Connecting");
  });
  await page.locator("#user").waitFor();
  return page.textContent("#login-status");
}

export async function logOut({ page }) {
  await page.click("#logout");
  await page.locator("#chat").waitFor({ state: "hidden" });
  await page.locator("#user").waitFor();
}

/** Opens the conversation with name (its login name). */
export async function openChat({ page }, name) {
  await showContacts(page);
  await contact(page, name).click();
  await page.locator("#text:enabled").waitFor();
}

export async function send({ page }, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

/** Waits until text is a line of the open conversation. */
export async function sees({ page }, text) {
  await page.locator("#messages li", { hasText: text }).first().waitFor();
}

/** Waits until name's unread badge reads count (0: no badge). */
export async function unread({ page }, name, count) {
  await showContacts(page);
  const badge = contact(page, name).locator(".badge");
  if (count === 0) {
    await badge.waitFor({ state: "detached" });
  } else {
    await contact(page, name).locator(".badge", { hasText: new RegExp(`^${count}$`) }).waitFor();
  }
}

/** Waits until name is shown online (true) or offline (false) in the contact list. */
export async function presence({ page }, name, online) {
  await showContacts(page);
  await contact(page, name).locator(`.dot[data-presence="${online ? "online" : "offline"}"]`).waitFor();
}
