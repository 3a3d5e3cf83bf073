// Settings › Vault protection end to end: keychain → passphrase → keychain, each step confirmed with the current
// protection; a wrong passphrase refused with its code; a passphrase sent where none is asked for refused at the IPC
// door; both languages, axe-core clean.
import { expect, navigate, test } from './harness.ts';
import { axeViolations, invoke } from './support.ts';

const PHRASE = '我的保險庫密語 long enough';
test('switching the vault between the keychain and a passphrase, in zh-TW and English', async ({ app }) => {
  test.skip(app.mode === 'electron', 'the bridge harness supplies the keychain stand-in');
  // Each passphrase step runs scrypt at the app's real cost (128 MiB, N = 2^17), slow on a loaded machine.
  test.setTimeout(240_000);
  const slow = { timeout: 90_000 };
  const page = app.page;
  // Opening My data opens the vault (keychain protection in this harness).
  await navigate(page, '#/my-data');
  await navigate(page, '#/settings');
  const section = page.getByTestId('vault-protection');
  await expect(section.getByRole('heading', { name: '保險庫保護方式' })).toBeVisible();
  await expect(page.getByTestId('vault-protection-current')).toHaveAttribute('data-protection', 'os');
  expect(await axeViolations(page)).toEqual([]);

  // A passphrase pushed through the door the vault gate uses is refused: the vault is not asking for one.
  const pushed = await invoke(page, 'vault:passphrase', { passphrase: PHRASE });
  expect(pushed).toMatchObject({ ok: false, error: { code: 'VAULT_PASSPHRASE_NOT_EXPECTED' } });
  // A change without the person's confirmation does not pass the contract.
  expect(await invoke(page, 'vault:protection-change', { to: 'passphrase', passphrase: PHRASE })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } });
  await expect(page.getByTestId('vault-protection-current')).toHaveAttribute('data-protection', 'os');

  const toPassphrase = page.getByTestId('vault-protection-toPassphrase');
  await toPassphrase.getByLabel('新的密語（至少 10 個字元）').fill(PHRASE);
  await toPassphrase.getByLabel('再輸入一次新的密語').fill(PHRASE);
  await toPassphrase.getByLabel('我了解密語遺失時資料無法復原').check();
  await toPassphrase.getByRole('button', { name: '改用密語保護' }).click();
  await expect(section.getByRole('status').filter({ hasText: '已改為由密語保護。' })).toBeVisible(slow);
  await expect(page.getByTestId('vault-protection-current')).toHaveAttribute('data-protection', 'passphrase');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('radio', { name: 'English' }).check();
  await expect(section.getByRole('heading', { name: 'Vault protection' })).toBeVisible();
  const toKeychain = page.getByTestId('vault-protection-toKeychain');
  await toKeychain.getByLabel('Current passphrase').fill('not the vault passphrase');
  await toKeychain.getByRole('button', { name: 'Use the system keychain' }).click();
  await expect(toKeychain.getByText('VAULT_WRONG_PASSPHRASE')).toBeVisible(slow);
  await expect(page.getByTestId('vault-protection-current')).toHaveAttribute('data-protection', 'passphrase');
  expect(await axeViolations(page)).toEqual([]);

  await toKeychain.getByLabel('Current passphrase').fill(PHRASE);
  await toKeychain.getByRole('button', { name: 'Use the system keychain' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'The vault is now protected by the system keychain.' })).toBeVisible(slow);
  await expect(page.getByTestId('vault-protection-current')).toHaveAttribute('data-protection', 'os');
  expect(await axeViolations(page)).toEqual([]);
});
