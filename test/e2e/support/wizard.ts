/** Driving the new-experiment wizard the way a user does: preset, Next through every step, Start. */
import type { Page } from 'playwright-core';

export async function openWizardWithPreset(page: Page, preset: string): Promise<void> {
  await page.getByTestId('nav-new').click();
  await page.getByTestId('wizard').waitFor();
  await page.getByTestId('preset-select').selectOption(preset);
  await page.getByTestId('preset-apply').click();
  await page.locator(`[data-testid="wizard"][data-step="dataset"][data-preset="${preset}"]`).waitFor();
}

/** Clicks Next until the review step (each step must be valid for Next to be enabled). */
export async function nextToReview(page: Page, onStep?: (step: string) => Promise<void>): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const step = await page.getByTestId('wizard').getAttribute('data-step');
    if (onStep) await onStep(step!);
    if (step === 'review') return;
    await page.getByTestId('wizard-next').click();
    await page.locator(`[data-testid="wizard"]:not([data-step="${step}"])`).waitFor();
  }
  throw new Error('the wizard never reached the review step');
}

/** Starts the run from the review step; returns its id (from the route it opens). */
export async function startFromReview(page: Page): Promise<string> {
  await page.getByTestId('wizard-start').click();
  await page.waitForURL(/#\/runs\/[^/?]+$/);
  const id = /#\/runs\/([^/?]+)$/.exec(page.url())![1];
  await page.locator(`[data-testid="run-view"][data-run-id="${id}"]`).waitFor();
  return decodeURIComponent(id);
}
