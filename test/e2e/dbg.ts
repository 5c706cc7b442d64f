import { launchBrowser, openApp } from '/work/main/test/e2e/support/browser';
import { apiCall, startServer } from '/work/main/test/e2e/support/server';
import { nextToReview, openWizardWithPreset, startFromReview } from '/work/main/test/e2e/support/wizard';
const server = await startServer();
const browser = await launchBrowser();
const s = await openApp(browser, server);
await openWizardWithPreset(s.page, 'tiny');
await nextToReview(s.page);
const id = await startFromReview(s.page);
const t0 = Date.now();
for (let i = 0; i < 20; i++) {
  const d: any = await apiCall(server, 'runs:get', { id });
  console.log(((Date.now() - t0) / 1000).toFixed(1), d.status, d.phase, d.rounds.length, d.error);
  if (i === 0) console.log(JSON.stringify(d.config));
  if (d.status !== 'running') break;
  await new Promise((r) => setTimeout(r, 3000));
}
console.log(s.errors);
console.log(server.output());
await browser.close();
await server.stop();
