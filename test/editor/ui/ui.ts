/**
 * The UI test: the packaged extension in code-server's workbench, driven through headless
 * Chromium by playwright-core (scripts/editor/run.mjs starts both and calls `runUiTest`).
 *
 * Open a draft with Quick Open, type a wrong figure, see the squiggle and the Problems row,
 * hover the figure and read the source sentence in the hover widget, accept a figure
 * completion. Every wait is a DOM condition with a deadline; no fixed sleeps. Screenshots go
 * to `screenshotDir` (test-results/editor/): problems.png, hover.png, completion.png, and
 * failure.png when a step fails.
 */
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface UiTestOptions {
  page: Page;
  /** The workbench with the test workspace open, e.g. http://127.0.0.1:PORT/?folder=/tmp/ws */
  url: string;
  screenshotDir: string;
  log: (message: string) => void;
}

const DRAFT = 'ui.md';
const WRONG = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.';
const PROMPT = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev ';
const ACCEPTED = `${PROMPT}4,5 tỷ USD [@002_bd768a52f42e921c]`;
const SOURCE_SENTENCE = 'Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD';

/** Long enough for a cold workbench and a first index; each step's wait is a DOM condition. */
const STEP_MS = 60_000;

const norm = (s: string): string => s.replace(/\u00a0/g, ' ');

// The few DOM types the in-page functions use (the project's tsconfig has no DOM library).
interface InPageNode {
  textContent: string | null;
}
interface InPageElement extends InPageNode {
  querySelectorAll(selector: string): Iterable<InPageElement>;
}
interface InPageRange {
  setStart(node: InPageNode, offset: number): void;
  setEnd(node: InPageNode, offset: number): void;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface InPageGlobals {
  document: {
    createTreeWalker(root: InPageElement, whatToShow: number): { nextNode(): InPageNode | null };
    createRange(): InPageRange;
  };
  NodeFilter: { SHOW_TEXT: number };
}

export async function runUiTest({ page, url, screenshotDir, log }: UiTestOptions): Promise<string[]> {
  const steps: string[] = [];
  let step = 'load the workbench';
  const done = (): void => {
    steps.push(step);
    log(`ok: ${step}`);
  };
  const shot = async (name: string, clip?: Locator[]): Promise<void> => {
    const file = path.join(screenshotDir, name);
    if (!clip) {
      await page.screenshot({ path: file });
      return;
    }
    // A crop around the given elements (with a margin), small enough for a README.
    const boxes = (await Promise.all(clip.map((l) => l.boundingBox()))).filter((b) => b !== null);
    const view = page.viewportSize() ?? { width: 1280, height: 800 };
    const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 24);
    const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 24);
    const x1 = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + 24);
    const y1 = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + 24);
    await page.screenshot({ path: file, clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
  };

  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: STEP_MS });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: STEP_MS });
    await page.locator('.monaco-workbench .part.sidebar .explorer-folders-view').waitFor({ state: 'visible', timeout: STEP_MS });
    done();

    step = `open ${DRAFT} with Quick Open`;
    const quickInput = page.locator('.quick-input-widget');
    const quickBox = quickInput.locator('input.input');
    // The workbench may take a moment to register its keybindings: press again until the box shows.
    await pollUntil(async () => {
      await page.keyboard.press('Control+P');
      return visibleWithin(quickBox);
    }, 'the Quick Open box');
    await quickBox.fill(DRAFT);
    await quickInput.locator('.monaco-list-row', { hasText: DRAFT }).first().waitFor({ state: 'visible', timeout: STEP_MS });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: DRAFT }).waitFor({ state: 'visible', timeout: STEP_MS });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const lines = editor.locator('.view-lines');
    await lines.filter({ hasText: 'hiệp ước song phương' }).waitFor({ state: 'visible', timeout: STEP_MS });
    done();

    step = 'type a wrong figure';
    await lines.click();
    await page.keyboard.press('Control+End'); // the empty last line
    await page.keyboard.press('Enter');
    await page.keyboard.type(WRONG);
    await page.keyboard.press('Escape');
    await waitForLine(editor, WRONG);
    done();

    step = 'see the squiggle under the wrong figure';
    await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: STEP_MS });
    done();

    step = 'see the contradiction in the Problems panel';
    await runCommand(page, 'Focus on Problems View', 'Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: '4,5 tỷ USD' }).first();
    await problem.waitFor({ state: 'visible', timeout: STEP_MS });
    const problemText = norm(await problem.innerText());
    log(`Problems row: ${problemText.replace(/\s+/g, ' ')}`);
    if (!/5,4 tỷ USD|4,5 tỷ USD/.test(problemText)) throw new Error(`unexpected Problems row: ${problemText}`);
    await shot('problems.png');
    await shot('problems-panel.png', [page.locator('.part.panel'), editor.locator('.view-line', { hasText: 'Cam kết an ninh' }).first()]);
    done();

    step = 'hover the figure and read the source sentence';
    await page.keyboard.press('Escape');
    const target = await textBox(page, editor, '5,4');
    await page.mouse.move(target.x - 40, target.y - 40);
    await page.mouse.move(target.x, target.y, { steps: 4 });
    // The widget shows the diagnostic first, then Sourcemark's card: the verdict (✗) and the source sentence.
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ has: page.locator('.hover-row', { hasText: '✗' }).filter({ hasText: SOURCE_SENTENCE }) }).first();
    await hover.waitFor({ state: 'visible', timeout: STEP_MS });
    log(`hover: ${norm(await hover.innerText()).replace(/\s+/g, ' ').slice(0, 400)}`);
    await shot('hover.png', [hover, editor.locator('.view-line', { hasText: '5,4' }).first()]);
    await shot('hover-full.png');
    done();

    step = 'accept a figure completion';
    await page.mouse.move(5, 5);
    await hover.waitFor({ state: 'hidden', timeout: STEP_MS });
    await lines.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type(PROMPT);
    await waitForLine(editor, PROMPT.trimEnd());
    const suggestion = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: '4,5 tỷ USD' }).first();
    await pollUntil(async () => {
      if (!(await page.locator('.suggest-widget.visible').isVisible())) await page.keyboard.press('Control+Space');
      return visibleWithin(suggestion, 10_000);
    }, 'the figure completion');
    await shot('completion.png', [page.locator('.suggest-widget.visible'), editor.locator('.view-line', { hasText: 'Kiev' }).last()]);
    await suggestion.click();
    await waitForLine(editor, ACCEPTED);
    done();

    step = 'hover the completed, supported figure';
    await page.keyboard.press('Escape');
    const supported = await textBox(page, editor, '4,5 tỷ USD [@');
    await page.mouse.move(supported.x - 40, supported.y + 40);
    await page.mouse.move(supported.x, supported.y, { steps: 4 });
    const card = page.locator('.monaco-hover:not(.hidden)').filter({ has: page.locator('.hover-row', { hasText: '✓' }).filter({ hasText: SOURCE_SENTENCE }) }).first();
    await card.waitFor({ state: 'visible', timeout: STEP_MS });
    await shot('hover-supported.png', [card, editor.locator('.view-line', { hasText: '[@002' }).first()]);
    done();
    return steps;
  } catch (err) {
    await page.screenshot({ path: path.join(screenshotDir, 'failure.png') }).catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`UI step "${step}" failed: ${message}`);
  }
}

/**
 * Re-runs `attempt` (an action, then a bounded wait for its DOM effect) until the effect shows
 * or the deadline passes: for keys pressed before the workbench is ready to handle them.
 */
async function pollUntil(attempt: () => Promise<boolean>, what: string, deadlineMs = STEP_MS): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await attempt()) return;
  }
  throw new Error(`timed out after ${deadlineMs / 1000} s waiting for ${what}`);
}

/** Waits up to `ms` for `locator` to be visible; false instead of a timeout error. */
async function visibleWithin(locator: Locator, ms = 3_000): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout: ms }).then(
    () => true,
    () => false,
  );
}

/** Waits until one rendered line of the editor reads `text` (ignoring trailing blanks). */
async function waitForLine(editor: Locator, text: string): Promise<void> {
  await editor.page().waitForFunction(
    ({ root, text }) => {
      const el = root as unknown as InPageElement;
      return [...el.querySelectorAll('.view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd() === text);
    },
    { root: await editor.elementHandle(), text },
    { timeout: STEP_MS },
  );
}

/** Runs a command from the Command Palette by its label. */
async function runCommand(page: Page, label: string, expectInRow: string): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  const box = quickInput.locator('input.input');
  await pollUntil(async () => {
    await page.keyboard.press('F1');
    return visibleWithin(box);
  }, 'the Command Palette');
  await box.fill(`>${label}`);
  await quickInput.locator('.monaco-list-row', { hasText: expectInRow }).first().waitFor({ state: 'visible', timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await box.waitFor({ state: 'hidden', timeout: STEP_MS });
}

/** The centre of the first character of `needle` in the editor's rendered text. */
async function textBox(page: Page, editor: Locator, needle: string): Promise<{ x: number; y: number }> {
  const handle = await editor.elementHandle();
  const box = await page.evaluate(
    ({ root, needle }) => {
      // The figure may span several token elements: map the offset in the line's text back to a text node.
      const { document, NodeFilter } = globalThis as unknown as InPageGlobals;
      for (const line of (root as unknown as InPageElement).querySelectorAll('.view-line')) {
        // Monaco renders some spaces as U+00A0 (same length, so offsets still match).
        const at = (line.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(needle);
        if (at < 0) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (at < seen + length) {
            const range = document.createRange();
            range.setStart(node, at - seen);
            range.setEnd(node, at - seen + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          seen += length;
        }
      }
      return null;
    },
    { root: handle, needle },
  );
  if (!box) throw new Error(`"${needle}" is not on screen`);
  return box;
}
