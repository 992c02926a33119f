// The knowledge base in the AI view: the article list, one article (rendered body, versions, edit form), the
// side-by-side comparison and the AI replies that cited a version.
import { expect, type Locator, type Page } from '@playwright/test';

export class KbPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly panel: Locator;
  readonly filter: Locator;
  readonly rows: Locator;
  readonly article: Locator;
  readonly title: Locator;
  readonly body: Locator;
  readonly versionMeta: Locator;
  readonly versionReason: Locator;
  readonly editButton: Locator;
  readonly refusal: Locator;
  readonly saved: Locator;
  readonly editor: Locator;
  readonly editTitle: Locator;
  readonly editBody: Locator;
  readonly editReason: Locator;
  readonly editProblem: Locator;
  readonly save: Locator;
  readonly versionRows: Locator;
  readonly compareButton: Locator;
  readonly diff: Locator;
  readonly diffRows: Locator;
  readonly diffSummary: Locator;
  readonly diffLeft: Locator;
  readonly diffRight: Locator;
  readonly citations: Locator;
  readonly citationItems: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-ai');
    this.panel = page.getByTestId('kb-panel');
    this.filter = this.panel.getByTestId('kb-filter');
    this.rows = this.panel.getByTestId('kb-row');
    this.article = this.panel.getByTestId('kb-article');
    this.title = this.article.getByTestId('kb-title');
    this.body = this.article.getByTestId('kb-body');
    this.versionMeta = this.article.getByTestId('kb-version-meta');
    this.versionReason = this.article.getByTestId('kb-version-reason');
    this.editButton = this.article.getByTestId('kb-edit');
    this.refusal = this.article.getByTestId('refusal-note');
    this.saved = this.article.getByTestId('kb-saved');
    this.editor = this.article.getByTestId('kb-editor');
    this.editTitle = this.editor.getByTestId('kb-edit-title');
    this.editBody = this.editor.getByTestId('kb-edit-body');
    this.editReason = this.editor.getByTestId('kb-edit-reason');
    this.editProblem = this.editor.getByTestId('kb-edit-problem');
    this.save = this.editor.getByTestId('kb-edit-save');
    this.versionRows = this.article.getByTestId('kb-version-row');
    this.compareButton = this.article.getByTestId('kb-compare');
    this.diff = this.article.getByTestId('kb-diff');
    this.diffRows = this.diff.getByTestId('kb-diff-row');
    this.diffSummary = this.diff.getByTestId('kb-diff-summary');
    this.diffLeft = this.diff.getByTestId('kb-diff-left');
    this.diffRight = this.diff.getByTestId('kb-diff-right');
    this.citations = this.article.getByTestId('kb-citations');
    this.citationItems = this.citations.getByTestId('kb-citation');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
    await expect(this.rows.first()).toBeVisible();
  }

  /** Opens the article with this id from the list. */
  async openArticle(id: string): Promise<void> {
    await this.filter.fill(id);
    await this.panel.locator(`[data-testid="kb-row"][data-id="${id}"]`).getByTestId('kb-open').click();
    await expect(this.article).toHaveAttribute('data-id', id);
  }

  /** Edits the open article: body replaced, reason given, saved; waits for the new version. */
  async edit(body: string, reason: string, expectedVersion: number): Promise<void> {
    await this.editButton.click();
    await this.editBody.fill(body);
    await this.editReason.fill(reason);
    await this.save.click();
    await expect(this.saved).toHaveText(`Saved as version ${expectedVersion}.`);
    await expect(this.article).toHaveAttribute('data-version', String(expectedVersion));
  }

  versionRow(version: number): Locator {
    return this.article.locator(`[data-testid="kb-version-row"][data-version="${version}"]`);
  }

  /** Shows the AI replies that cited a version. */
  async showCitations(version: number): Promise<void> {
    await this.versionRow(version).getByTestId('kb-cited').click();
    await expect(this.citations).toHaveAttribute('data-version', String(version));
  }

  citationOf(ticketId: string): Locator {
    return this.citations.locator(`[data-testid="kb-citation"][data-ticket="${ticketId}"]`);
  }

  /** Tags, attributes and links of the rendered body that could run code or reach out. */
  async activeContent(): Promise<string[]> {
    return this.body.evaluate((root) => {
      const found: string[] = [];
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'object', 'embed', 'img', 'style', 'form', 'svg', 'link', 'meta', 'base'].includes(tag)) found.push(`<${tag}>`);
        for (const attr of Array.from(el.attributes)) {
          if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'srcset') found.push(`${tag}[${attr.name}]`);
          if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name) && /^\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(`${tag}[${attr.name}=${attr.value}]`);
        }
      }
      return found;
    });
  }
}
