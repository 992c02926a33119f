// The Electron console's remembered team ledger, without Electron: the form's fields checked and turned into a
// PostgreSQL URL, the password kept only through the protector (safeStorage in Electron), never in plain text, and
// a console opened from what was remembered reaches a real team ledger with an awkward password.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyProtector } from '../../electron/core/checkpoints/installation-key.ts';
import { openCore } from '../../electron/core/service.ts';
import { initTeam } from '../../electron/core/team/team-admin.ts';
import {
  CONFIG_FILE,
  connectFormHtml,
  describeConnection,
  parseTeamFields,
  PASSWORD_FILE,
  passwordStorageWarning,
  replicaFileName,
  TeamConfigError,
  TeamConnectionStore,
  teamUrl,
} from '../../electron/main/team-config.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';

/** A real cipher standing in for safeStorage: AES-256-GCM with a key of this "computer". */
function aesProtector(key = randomBytes(32)): KeyProtector {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}

const AWKWARD_PASSWORD = `p@ss:w/rd%20 "ü"#?&=`;
const FIELDS = { host: 'db.example.internal', port: 5433, database: 'attest team', user: 'attest_writer' };

describe('the connect form fields', () => {
  it('are trimmed, the port defaults to PostgreSQL’s, an IPv6 address may come in brackets', () => {
    expect(parseTeamFields({ host: ' db.example.internal ', port: '', database: 'attest', user: 'attest_writer' })).toEqual({ host: 'db.example.internal', port: 5432, database: 'attest', user: 'attest_writer' });
    expect(parseTeamFields({ host: '[::1]', port: '6543', database: 'd', user: 'u' })).toEqual({ host: '::1', port: 6543, database: 'd', user: 'u' });
  });

  it('are refused with every problem named', () => {
    const refusal = (() => {
      try {
        parseTeamFields({ host: 'db/example@evil', port: '70000', database: '', user: 'x'.repeat(64) });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(TeamConfigError);
    expect((refusal as Error).message.split('\n')).toEqual([
      'host: "db/example@evil" is not a host name or IP address',
      'port: "70000" is not a port number (1–65535)',
      'database: required',
      "user: longer than PostgreSQL's 63 bytes",
    ]);
  });

  it('make a URL that node-postgres reads back exactly, however awkward the password and database name', () => {
    for (const fields of [FIELDS, { ...FIELDS, host: '::1' }]) {
      const parsed = parseConnectionString(teamUrl(fields, AWKWARD_PASSWORD));
      expect(parsed).toMatchObject({ host: fields.host, port: String(fields.port), database: fields.database, user: fields.user, password: AWKWARD_PASSWORD });
    }
    expect(describeConnection(FIELDS)).toBe('attest_writer@db.example.internal:5433/attest team');
  });

  it('name one replica file per team ledger', () => {
    const name = replicaFileName(FIELDS);
    expect(name).toMatch(/^team-db\.example\.internal-5433-attest_team-[0-9a-f]{8}\.db$/);
    expect(replicaFileName({ ...FIELDS, database: 'attest/team' })).not.toBe(name);
    expect(replicaFileName({ ...FIELDS, user: 'someone_else' })).toBe(name);
  });

  it('are shown escaped, and the password is never put back into the form', () => {
    const html = connectFormHtml({ fields: { ...FIELDS, host: '"><script>alert(1)</script>' }, error: 'Could not connect: <refused>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('Could not connect: &lt;refused&gt;');
    expect(html).toMatch(/<input name="password" type="password">/);
  });
});

describe('the remembered team ledger', () => {
  it('keeps the password only encrypted: no file of the folder holds it in plain text', () => {
    const dir = tempDir();
    const store = new TeamConnectionStore(dir, aesProtector());
    const saved = store.save(FIELDS, AWKWARD_PASSWORD);
    expect(saved).toMatchObject({ ...FIELDS, replicaFile: replicaFileName(FIELDS), passwordSaved: true });
    expect(readdirSync(dir).sort()).toEqual([CONFIG_FILE, PASSWORD_FILE]);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(AWKWARD_PASSWORD))).toBe(false);
      expect(statSync(join(dir, file)).mode & 0o077).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(dir, CONFIG_FILE), 'utf8'))).toMatchObject({ ...FIELDS, replicaFile: saved.replicaFile });
    const loaded = store.load();
    expect(loaded).toEqual({ connection: saved, password: AWKWARD_PASSWORD, problem: null });
    expect(store.replicaPath(saved)).toBe(join(dir, saved.replicaFile));
  });

  it('refuses to keep a password where nothing can encrypt it, and can remember the rest', () => {
    const dir = tempDir();
    const store = new TeamConnectionStore(dir, null);
    expect(store.canKeepPassword).toBe(false);
    expect(() => store.save(FIELDS, 'secret')).toThrow(TeamConfigError);
    expect(readdirSync(dir)).toEqual([]);
    store.save(FIELDS, null);
    expect(store.load()).toEqual({ connection: { ...FIELDS, replicaFile: replicaFileName(FIELDS), passwordSaved: false }, password: null, problem: null });
  });

  it('says so when the saved password cannot be decrypted (another computer’s key, no safe storage)', () => {
    const dir = tempDir();
    new TeamConnectionStore(dir, aesProtector()).save(FIELDS, 'secret');
    expect(new TeamConnectionStore(dir, aesProtector()).load()).toMatchObject({ password: null, problem: expect.stringMatching(/^the saved password could not be decrypted/) });
    expect(new TeamConnectionStore(dir, null).load()).toMatchObject({ password: null, problem: 'the saved password cannot be decrypted here (no safe storage available)' });
  });

  it('forgets a password no longer wanted, and forgets the whole connection', () => {
    const dir = tempDir();
    const store = new TeamConnectionStore(dir, aesProtector());
    store.save(FIELDS, 'secret');
    store.save(FIELDS, null);
    expect(readdirSync(dir)).toEqual([CONFIG_FILE]);
    store.forget();
    expect(store.load()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats an unreadable or edited configuration as none (the person is asked again)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, CONFIG_FILE), '{ not json');
    expect(new TeamConnectionStore(dir, null).load()).toBeNull();
    writeFileSync(join(dir, CONFIG_FILE), JSON.stringify({ ...FIELDS, port: 'x' }));
    expect(new TeamConnectionStore(dir, null).load()).toBeNull();
  });

  it('warns about a keyring-less Linux (safeStorage backend basic_text) only', () => {
    expect(passwordStorageWarning('basic_text', 'linux')).toMatch(/key built into Attest/);
    expect(passwordStorageWarning('gnome_libsecret', 'linux')).toBeNull();
    expect(passwordStorageWarning('kwallet5', 'linux')).toBeNull();
    expect(passwordStorageWarning(null, 'darwin')).toBeNull();
  });
});

describe.skipIf(!postgresAvailable())('a console opened from the remembered team ledger', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(() => cluster?.remove());

  it('connects with the decrypted password to its replica file in the user data folder', async () => {
    const database = 'attest team';
    await initTeam(cluster.createDatabase(database), { writerPassword: AWKWARD_PASSWORD });
    const userData = tempDir();
    const protector = aesProtector();
    new TeamConnectionStore(userData, protector).save(parseTeamFields({ host: '127.0.0.1', port: cluster.port, database, user: 'attest_writer' }), AWKWARD_PASSWORD);

    // The next start: what main.ts does with the remembered connection.
    const store = new TeamConnectionStore(userData, protector);
    const remembered = store.load()!;
    const core = openCore({ dbPath: store.replicaPath(remembered.connection), team: { url: teamUrl(remembered.connection, remembered.password!) } });
    try {
      await core.syncTeam();
      const status = await core.invoke('team.status', {});
      expect(status).toMatchObject({ ok: true, value: { state: 'online', team: `127.0.0.1:${cluster.port}/attest%20team` } });
      expect(readdirSync(userData)).toContain(remembered.connection.replicaFile);
    } finally {
      await core.closeAsync();
    }
  });

  it('does not reach the team ledger with a wrong password', async () => {
    const userData = tempDir();
    const fields = parseTeamFields({ host: '127.0.0.1', port: cluster.port, database: 'attest team', user: 'attest_writer' });
    const core = openCore({ dbPath: join(userData, replicaFileName(fields)), team: { url: teamUrl(fields, 'wrong') } });
    try {
      await expect(core.syncTeam()).rejects.toThrow(/password authentication failed/);
    } finally {
      await core.closeAsync();
    }
  });
});

