// A real-browser check of offline-file downloads (headless Debian chromium under playwright-core). A native client
// has sent USER the offline file NAME (its bytes' SHA-256 is SHA256). The browser user logs in, finds it in the Files
// tab (screenshot web-files.png), starts the download with the keyboard (Enter on the row), and the page pulls it over
// /ws/file and saves it under its name: the saved file's SHA-256 must be SHA256. The file then leaves the list and the
// tab's count. Prints "FILES OK" on success.
// usage: node scripts/browser-files.mjs BASE_URL USER PASSWORD NAME SHA256 OUT_DIR
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { logIn, run, webClient } from "./browser-lib.mjs";

const [base, user, password, fileName, sha256, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: browser-files.mjs BASE_URL USER PASSWORD NAME SHA256 OUT_DIR");
  process.exit(2);
}

await run("FILES", outDir, async (browser, shot) => {
  const bob = await webClient(browser, base, user);
  await logIn(bob, user, password);
  const { page } = bob;
  await page.click("#tab-files");
  const row = page.locator(`#file-list li[data-name="${fileName}"]`);
  await row.waitFor();
  await page.locator("#files-count", { hasText: /^1$/ }).waitFor();
  await shot(page, "web-files.png");

  await row.focus();
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  if (download.suggestedFilename() !== fileName) throw new Error(`saved as "${download.suggestedFilename()}", not "${fileName}"`);
  const saved = join(outDir, `downloaded-${fileName}`);
  await download.saveAs(saved);
  const actual = createHash("sha256").update(readFileSync(saved)).digest("hex");
  if (actual !== sha256.toLowerCase()) throw new Error(`the saved file's SHA-256 is ${actual}, the sent file's ${sha256}`);

  await row.waitFor({ state: "detached" });
  await page.locator("#files-count").waitFor({ state: "hidden" });
  await page.locator("#file-list li.empty").waitFor();
});
