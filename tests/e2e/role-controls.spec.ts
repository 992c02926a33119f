// Signed in as the auditor, every view: each control that calls a contract method is enabled only when the
// auditor may call it, and otherwise disabled with the refusal sentence — checked against shared/permissions.ts
// read here, not against what the console decided.
import { PERMISSIONS, type Operation } from '../../shared/permissions.ts';
import { expect, test } from './fixtures.ts';
import { AiResolvePage } from './pages/AiResolvePage.ts';
import { KbPage } from './pages/KbPage.ts';
import { RoleControlsPage, type MethodControl } from './pages/RoleControlsPage.ts';

const ROLE = 'auditor';

const permitted = (method: string): boolean => {
  const entry = PERMISSIONS[method as Operation];
  if (!entry) throw new Error(`data-method names "${method}", which is not in shared/permissions.ts`);
  return entry.public === true || entry.roles.includes(ROLE);
};

/** The sentence the permission table gives for a refused method, written out here from its fields. */
const expectedRefusal = (method: string): string => {
  const entry = PERMISSIONS[method as Operation];
  return `The ${ROLE} role may not ${entry.what}; only ${entry.roles.map((r) => `${r}s`).join(' and ')} may.`;
};

/** Controls each view must show (proof the view was drawn, and that its write controls carry their method). */
const MUST_SEE: Record<string, string[]> = {
  queue: ['import.jsonl'],
  sla: ['sla.importPolicies'],
  ai: ['ai.configure', 'ai.resolve', 'ai.cancel'],
  outcomes: ['outcomes.verify'],
  audit: [],
  imports: ['imports.upload'],
  kpis: ['kpis.freezeBaseline'],
  people: ['users.setPassword'],
  access: [],
};

/** Problems with the controls on screen: an enabled control the role may not use, or a refusal without its reason. */
function problems(where: string, controls: MethodControl[]): string[] {
  const found: string[] = [];
  for (const control of controls) {
    const refused = control.methods.filter((m) => !permitted(m));
    if (refused.length === 0) continue;
    if (!control.disabled) {
      found.push(`${where}: "${control.label}" is enabled but the ${ROLE} may not call ${refused.join(', ')}`);
      continue;
    }
    const reason = expectedRefusal(refused[0]!);
    if (control.title !== reason) found.push(`${where}: "${control.label}" title is ${JSON.stringify(control.title)}, expected ${JSON.stringify(reason)}`);
    if (control.describedBy !== null && control.describedBy !== reason) found.push(`${where}: "${control.label}" note reads ${JSON.stringify(control.describedBy)}`);
  }
  return found;
}

test.use({ account: ROLE });

test('the auditor sees every write control the role may not use disabled, with the reason', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  const probe = new RoleControlsPage(page);
  const views = await probe.viewIds();
  expect(views.toSorted()).toEqual(Object.keys(MUST_SEE).toSorted());
  const found: string[] = [];
  const seen = new Map<string, MethodControl>();
  const check = async (where: string): Promise<void> => {
    const controls = await probe.controls();
    for (const control of controls) for (const m of control.methods) seen.set(m, control);
    found.push(...problems(where, controls));
  };

  for (const view of views) {
    await probe.openView(view);
    for (const method of MUST_SEE[view]!) await expect(probe.control(method), `${view} shows a control for ${method}`).toBeAttached();
    await check(view);
    if (view === 'kpis') {
      for (const tab of await probe.kpiTabIds()) {
        await probe.openKpiTab(tab);
        if (tab === 'board') await expect(probe.control('categories.setMode')).toBeAttached();
        await check(`kpis ${tab}`);
      }
    }
    if (view === 'queue') {
      await probe.openFirstTicket();
      await expect(probe.control('ai.draftLive')).toBeAttached();
      await check('ticket detail');
    }
    if (view === 'ai') {
      const kb = new KbPage(page);
      await expect(kb.rows.first()).toBeVisible();
      await kb.openArticle('change-password');
      await expect(probe.control('kb.edit')).toBeAttached();
      await check('knowledge-base article');
      // The auditor reads the article as formatted text; Edit is refused with the reason beside it.
      await expect(kb.body.locator('h5, h6').first()).toBeVisible();
      await expect(kb.body).not.toContainText('## ');
      await expect(kb.editButton).toBeDisabled();
      await expect(kb.refusal).toHaveText(expectedRefusal('kb.edit'));
    }
  }

  expect(found).toEqual([]);
  // The controls the issue names, and what a person sees on them.
  const resolve = new AiResolvePage(page);
  await resolve.open();
  await expect(resolve.start).toBeDisabled();
  await expect(resolve.start).toHaveAttribute('title', expectedRefusal('ai.resolve'));
  await expect(resolve.panel.getByTestId('refusal-note').first()).toHaveText(expectedRefusal('ai.resolve'));
  // Refused methods seen across the views: each was on screen, disabled (checked above).
  const refusedSeen = [...seen.keys()].filter((m) => !permitted(m)).sort();
  expect(refusedSeen).toEqual(expect.arrayContaining(['ai.configure', 'ai.draftLive', 'ai.resolve', 'categories.setMode', 'import.jsonl', 'imports.upload', 'kb.edit', 'kpis.freezeBaseline', 'outcomes.verify', 'sla.importPolicies']));
});
