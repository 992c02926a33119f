// axe-core over the page as it stands: the serious and critical violations (WCAG 2.x A/AA and best practice),
// each as one readable line naming the rule, the impact and the elements.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const BLOCKING = new Set(['serious', 'critical']);

export class AxeScan {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** "rule (impact): help — target, target…" for every serious or critical violation. */
  async seriousViolations(): Promise<string[]> {
    const results = await new AxeBuilder({ page: this.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      // Violations only: axe skips collecting every passing node, which is most of its time on a long page.
      .options({ resultTypes: ['violations'] })
      .analyze();
    return results.violations
      .filter((violation) => BLOCKING.has(violation.impact ?? ''))
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 6).join(', ')}${violation.nodes.length > 6 ? ` … ${violation.nodes.length} in all` : ''}`);
  }
}
