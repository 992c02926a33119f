import { expect, type Locator, type Page } from '@playwright/test';

/** The electronic-signature dialog: password again, a meaning, a reason. */
export class SignatureDialog {
  readonly root: Locator;
  readonly signer: Locator;
  readonly password: Locator;
  readonly meaning: Locator;
  readonly reason: Locator;
  readonly submit: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('signature-dialog');
    this.signer = this.root.getByTestId('signature-signer');
    this.password = this.root.getByTestId('signature-password');
    this.meaning = this.root.getByTestId('signature-meaning');
    this.reason = this.root.getByTestId('signature-reason');
    this.submit = this.root.getByTestId('signature-submit');
    this.cancel = this.root.getByTestId('signature-cancel');
    this.error = this.root.getByTestId('signature-error');
  }

  /** Fills the dialog in and signs; waits until it has closed (the act went through or failed for another reason). */
  async sign(password: string, meaning: string, reason: string): Promise<void> {
    await expect(this.root).toBeVisible();
    await this.password.fill(password);
    await this.meaning.selectOption(meaning);
    await this.reason.fill(reason);
    await this.submit.click();
    await expect(this.root).toHaveCount(0);
  }
}
