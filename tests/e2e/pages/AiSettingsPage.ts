import type { Locator, Page } from '@playwright/test';

/** The AI view's settings card: the model server, its notice, the organization's settings and the admins' remote-host allowance. */
export class AiSettingsPage {
  readonly page: Page;
  readonly card: Locator;
  readonly host: Locator;
  readonly reason: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  /** "Ticket text leaves this computer: …" */
  readonly remoteNotice: Locator;
  /** "No model server is contacted: …" */
  readonly hostProblem: Locator;
  /** The admins' form to allow a model server on another machine. */
  readonly allowance: Locator;
  /** The organization's settings: its name (or "Organization name not set"), the AI's signature and disclosure. */
  readonly organization: Locator;
  readonly organizationName: Locator;
  readonly organizationNameUnset: Locator;
  readonly organizationDisclosure: Locator;
  readonly organizationSaved: Locator;

  constructor(page: Page) {
    this.page = page;
    this.card = page.getByTestId('ai-settings');
    this.host = page.getByTestId('ai-settings-host');
    this.reason = page.getByTestId('ai-settings-reason');
    this.save = page.getByTestId('ai-settings-save');
    this.saved = page.getByTestId('ai-settings-saved');
    this.remoteNotice = page.getByTestId('ai-host-remote-notice');
    this.hostProblem = page.getByTestId('ai-host-problem');
    this.allowance = page.getByTestId('ai-remote-host');
    this.organization = page.getByTestId('org-settings');
    this.organizationName = page.getByTestId('org-settings-name');
    this.organizationNameUnset = page.getByTestId('org-settings-name-unset');
    this.organizationDisclosure = page.getByTestId('org-settings-disclosure');
    this.organizationSaved = page.getByTestId('org-settings-saved');
  }

  /** Saves the organization's name (empty: not set), the rest unchanged, with a reason. */
  async setOrganizationName(name: string, reason: string): Promise<void> {
    await this.organization.getByTestId('org-settings-name-input').fill(name);
    await this.organization.getByTestId('org-settings-reason').fill(reason);
    await this.organization.getByTestId('org-settings-save').click();
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('view-tab-ai').click();
    await this.host.waitFor();
  }

  /** Saves the settings with another host (the rest unchanged). */
  async setHost(host: string, reason: string): Promise<void> {
    await this.host.fill(host);
    await this.reason.fill(reason);
    await this.save.click();
  }

  /** Admins: allows `host` (or withdraws the allowance with null), with a reason. */
  async allowRemoteHost(host: string | null, reason: string): Promise<Locator> {
    if (host !== null) await this.allowance.getByTestId('ai-remote-host-address').fill(host);
    await this.allowance.getByTestId('ai-remote-host-reason').fill(reason);
    await this.allowance.getByTestId(host === null ? 'ai-remote-host-withdraw' : 'ai-remote-host-allow').click();
    return this.allowance.getByTestId('ai-remote-host-saved');
  }
}
