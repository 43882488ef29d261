// The admin console and the web client together in headless Debian chromium (playwright-core, no browser download),
// each person in their own browser context:
//  1. the administrator logs in to ADMIN_URL/admin with a wrong password (refused, no session), then the right one;
//  2. creates NEW_USER (password PASSWORD) with the console's form; NEW_USER logs in to the web client at WEB_URL and
//     exchanges a message both ways with PEER (password PASSWORD);
//  3. disables NEW_USER in the console while NEW_USER is logged in: the web client is thrown back to its login screen
//     with a message, and logging in again is refused.
// Screenshots to OUT_DIR: console-login-refused.png, console-users.png, console-chat.png, console-disabled.png.
// Prints "CONSOLE OK" on success.
// usage: node scripts/browser-console.mjs ADMIN_URL ADMIN_NAME ADMIN_PASSWORD WEB_URL NEW_USER PEER PASSWORD OUT_DIR
import { logIn, logInRefused, loginMessage, openChat, person, run, sees, send, webClient } from "./browser-lib.mjs";

const [adminUrl, adminName, adminPassword, webUrl, newUser, peer, password, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: browser-console.mjs ADMIN_URL ADMIN_NAME ADMIN_PASSWORD WEB_URL NEW_USER PEER PASSWORD OUT_DIR");
  process.exit(2);
}

const flash = (page, kind) => page.locator(`main .flash.${kind}`);

/** Waits for the console's confirmation containing text; fails with the console's error message if it shows one. */
async function confirmed(page, text) {
  const either = flash(page, "ok").filter({ hasText: text }).or(flash(page, "error"));
  await either.first().waitFor();
  if (await flash(page, "error").count()) throw new Error(`the console said: ${await flash(page, "error").first().textContent()}`);
}

/** Fills the console's form fields by name and submits with the button named label. */
async function submit(page, label, fields) {
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`form [name="${name}"]`, value);
  }

  await Promise.all([page.waitForNavigation(), page.click(`form button:text-is("${label}")`)]);
}

await run("CONSOLE", outDir, async (browser, shot) => {
  const admin = await person(browser, "administrator");
  const console_ = admin.page;

  await console_.goto(new URL("/admin/users", adminUrl).href);
  if (!new URL(console_.url()).pathname.startsWith("/admin/login")) throw new Error(`no session, yet ${console_.url()} was shown`);
  await submit(console_, "Log in", { name: adminName, password: `${adminPassword}-wrong` });
  await flash(console_, "error").filter({ hasText: "Wrong name or password" }).waitFor();
  await shot(console_, "console-login-refused.png");
  if ((await admin.context.cookies()).some((c) => c.name === "tt_admin")) throw new Error("a refused login left a session cookie");
  await submit(console_, "Log in", { name: adminName, password: adminPassword });
  await console_.locator("nav").getByText(`Log out ${adminName}`).waitFor();
  if (new URL(console_.url()).pathname !== "/admin/users") throw new Error(`after the login: ${console_.url()}, not back at /admin/users`);

  await console_.click("text=New user");
  await submit(console_, "Create user", { name: newUser, password, nick: `${newUser} (console)`, email: `${newUser}@example.org` });
  await confirmed(console_, `User ${newUser} created`);
  const userPage = console_.url();
  await console_.goto(new URL(`/admin/users?q=${encodeURIComponent(newUser)}`, adminUrl).href);
  await console_.locator("#users a", { hasText: newUser }).waitFor();

  const user = await webClient(browser, webUrl, newUser);
  const other = await webClient(browser, webUrl, peer);
  await logIn(user, newUser, password);
  await logIn(other, peer, password);
  const stamp = Date.now().toString(36);
  await openChat(user, peer);
  await openChat(other, newUser);
  const hello = `hello ${peer}, I am new here ${stamp}`;
  await send(user, hello);
  await sees(other, hello);
  const welcome = `welcome, ${newUser} ${stamp}`;
  await send(other, welcome);
  await sees(user, welcome);
  await shot(user.page, "console-chat.png");

  await console_.goto(new URL("/admin/users", adminUrl).href);
  await shot(console_, "console-users.png");
  await console_.goto(userPage);
  await Promise.all([console_.waitForNavigation(), console_.click("button.danger:text-is('Disable user')")]);
  await confirmed(console_, "disabled");

  const why = await loginMessage(user);
  console.log(`${newUser} was thrown out: "${why}"`);
  const refused = await logInRefused(user, newUser, password);
  console.log(`${newUser}'s next login was refused: "${refused}"`);
  await shot(user.page, "console-disabled.png");
});
