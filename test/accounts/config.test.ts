import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRepoConfig, loadRepoConfig, RepoConfigError } from '../../src/accounts/config.js';
import { credentialsProblem, normaliseDir } from '../../src/accounts/config-checks.js';
import { tempTrees } from '../desired/helpers.js';

const tree = tempTrees();

const SPEC_EXAMPLE = `accounts:
  - name: production
    dir: sinks/production
    credentials: {api_key: PROD_TWILIO_API_KEY, api_secret: PROD_TWILIO_API_SECRET}
  - name: staging
    dir: sinks/staging
    credentials: {account_sid: STAGING_TWILIO_ACCOUNT_SID, auth_token: STAGING_TWILIO_AUTH_TOKEN}
fleets:
  - name: customers
    dir: sinks/customers
    parent: {account_sid: TWILIO_ACCOUNT_SID, auth_token: TWILIO_AUTH_TOKEN}
    subaccounts: {friendly_name: "cust-*", status: active}
`;

/** Every problem as `line:column message`, in order. */
async function problems(text: string | Uint8Array): Promise<string[]> {
  const root = await tree({ 'sinkops.yaml': text as string });
  const checked = await checkRepoConfig(root);
  if (checked === undefined) throw new Error('no sinkops.yaml');
  if (checked.ok) return [];
  return checked.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe('loadRepoConfig', () => {
  it('is undefined without a sinkops.yaml', async () => {
    expect(await loadRepoConfig(await tree({ 'sinks/a.yaml': 'x: 1' }))).toBeUndefined();
  });

  it("reads SPEC §14's example", async () => {
    const config = await loadRepoConfig(await tree({ 'sinkops.yaml': SPEC_EXAMPLE }));
    expect(config).toEqual({
      file: 'sinkops.yaml',
      accounts: [
        {
          name: 'production',
          dir: 'sinks/production',
          credentials: { api_key: 'PROD_TWILIO_API_KEY', api_secret: 'PROD_TWILIO_API_SECRET' },
          at: { file: 'sinkops.yaml', line: 2, column: 5 },
          credentialsAt: { file: 'sinkops.yaml', line: 4, column: 5 },
        },
        {
          name: 'staging',
          dir: 'sinks/staging',
          credentials: { account_sid: 'STAGING_TWILIO_ACCOUNT_SID', auth_token: 'STAGING_TWILIO_AUTH_TOKEN' },
          at: { file: 'sinkops.yaml', line: 5, column: 5 },
          credentialsAt: { file: 'sinkops.yaml', line: 7, column: 5 },
        },
      ],
      fleets: [
        {
          name: 'customers',
          dir: 'sinks/customers',
          parent: { account_sid: 'TWILIO_ACCOUNT_SID', auth_token: 'TWILIO_AUTH_TOKEN' },
          subaccounts: { friendly_name: 'cust-*', status: 'active' },
          at: { file: 'sinkops.yaml', line: 9, column: 5 },
          parentAt: { file: 'sinkops.yaml', line: 11, column: 5 },
        },
      ],
    });
  });

  it('normalises directories and accepts a fleet without a filter, or accounts alone', async () => {
    const config = await loadRepoConfig(
      await tree({
        'sinkops.yaml': [
          'accounts:',
          '  - {name: a, dir: ./sinks//a/, credentials: {account_sid: A_SID, auth_token: A_TOKEN}}',
          '  - {name: b, dir: sinks/x/../a, credentials: {api_key: K, api_secret: S, account_sid: SID}}',
          'fleets:',
          '  - {name: f, dir: fleet, parent: {api_key: K, api_secret: S, account_sid: SID}}',
          '',
        ].join('\n'),
      }),
    );
    expect(config?.accounts.map((a) => a.dir)).toEqual(['sinks/a', 'sinks/a']);
    expect(config?.fleets[0]?.subaccounts).toEqual({});
    expect(await loadRepoConfig(await tree({ 'sinkops.yaml': 'accounts:\n  - {name: a, dir: s, credentials: {account_sid: A, auth_token: T}}\n' }))).toMatchObject({ fleets: [] });
  });

  it('throws one INVALID_INPUT error listing every problem, located', async () => {
    const root = await tree({
      'sinkops.yaml': [
        'accounts:',
        '  - name: Production',
        '    dir: /etc',
        '    credentials: {api_key: KEY}',
        '  - name: staging',
        '    dirr: sinks/staging',
        '    credentials: {account_sid: SID, auth_token: TOKEN}',
        '',
      ].join('\n'),
    });
    const error = await loadRepoConfig(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepoConfigError);
    const e = error as RepoConfigError;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('sinkops.yaml: 5 errors; nothing was planned');
    expect(e.details).toEqual([
      'sinkops.yaml:2:11: error: accounts[0].name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not "Production"',
      "sinkops.yaml:3:10: error: accounts[0].dir must be relative to the repository root, not an absolute path",
      'sinkops.yaml:4:5: error: accounts[0].credentials has api_key but no api_secret (the secret of that key)',
      "sinkops.yaml:5:5: error: missing required key 'dir' in accounts[1]",
      "sinkops.yaml:6:5: error: unknown key 'dirr' in accounts[1]; did you mean 'dir'?",
    ]);
    expect(e.diagnostics.map((d) => d.code)).toEqual(['SCHEMA', 'SCHEMA', 'SCHEMA', 'SCHEMA', 'UNKNOWN_KEY']);
  });
});

describe('sinkops.yaml: what the schema says', () => {
  it('words unknown keys with the likeliest fix', async () => {
    expect(
      await problems(
        [
          'acounts: []',
          'name: x',
          'fleets:',
          '  - name: f',
          '    dir: f',
          '    credentials: {account_sid: A, auth_token: T}',
          '    parent: {account_sid: A, auth_tokn: T}',
          '    subaccounts: {friendly_nam: "x*", status: on}',
          'accounts:',
          '  - {name: a, dir: a, parent: {account_sid: A, auth_token: T}, credentials: {account_sid: A, auth_token: T}}',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "1:1 unknown key 'acounts'; did you mean 'accounts'?",
      "2:1 unknown key 'name'; 'name' belongs to an entry of accounts (- name: …, dir: …, credentials: …)",
      "6:5 unknown key 'credentials' in fleets[0]; a fleet's credentials are its parent's: write them under parent",
      '7:5 fleets[0].parent has account_sid but no auth_token: give the variables of account_sid and auth_token, or api_key and api_secret with account_sid',
      "7:30 unknown key 'auth_tokn' in fleets[0].parent; did you mean 'auth_token'?",
      "8:19 unknown key 'friendly_nam' in fleets[0].subaccounts; did you mean 'friendly_name'?",
      '8:47 fleets[0].subaccounts.status must be one of active, suspended, closed, not "on"',
      "10:23 unknown key 'parent' in accounts[0]; 'parent' is a key of a fleet (under fleets)",
    ]);
  });

  it('never repeats a value written where a variable name belongs: it may be the secret itself', async () => {
    const token = '0123456789abcdef0123456789abcdef';
    const found = await problems(`accounts:\n  - {name: a, dir: a, credentials: {account_sid: AC_SID, auth_token: "${token}"}}\n`);
    expect(found).toEqual([
      '2:70 accounts[0].credentials.auth_token must be the name of an environment variable (letters, digits and _, not starting with a digit), not its value',
    ]);
    expect(found.join('\n')).not.toContain('0123456789');
  });

  it('reports wrong types and empty values', async () => {
    expect(await problems('accounts: {name: a}\nfleets: 3\n')).toEqual(['1:11 accounts must be a list, not a mapping', '2:9 fleets must be a list, not a number']);
    expect(await problems('accounts:\n  - name: a\n    dir:\n    credentials: []\n')).toEqual([
      '3:5 accounts[0].dir must be a string, but it is empty',
      '4:18 accounts[0].credentials must be a mapping, not a list',
    ]);
  });
});

describe('sinkops.yaml: what a schema cannot say', () => {
  it('declares at least one account', async () => {
    expect(await problems('accounts: []\nfleets: []\n')).toEqual(['1:1 sinkops.yaml declares no account: list named accounts under accounts, or fleets under fleets']);
    expect(await problems('# nothing yet\n')).toEqual([
      '1:1 sinkops.yaml declares no account: it is empty or holds only comments (without sinkops.yaml, the repository is one account whose sinks are in sinks/)',
    ]);
    expect(await problems('{}\n')).toEqual(['1:1 sinkops.yaml declares no account: list named accounts under accounts, or fleets under fleets']);
  });

  it('uses each name once across accounts and fleets, and says where else it is', async () => {
    expect(
      await problems(
        [
          'accounts:',
          '  - {name: prod, dir: a, credentials: {account_sid: A, auth_token: T}}',
          'fleets:',
          '  - {name: prod, dir: f, parent: {account_sid: A, auth_token: T}}',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "2:12 duplicate name 'prod' (also at sinkops.yaml:4:12); accounts and fleets share one set of names, each used once",
      "4:12 duplicate name 'prod' (also at sinkops.yaml:2:12); accounts and fleets share one set of names, each used once",
    ]);
  });

  it('keeps directories inside the repository, apart, and a fleet’s its own', async () => {
    const creds = 'credentials: {account_sid: A, auth_token: T}';
    const parent = 'parent: {account_sid: A, auth_token: T}';
    expect(
      await problems(
        [
          'accounts:',
          `  - {name: a, dir: ../elsewhere, ${creds}}`,
          `  - {name: b, dir: "sinks\\\\b", ${creds}}`,
          `  - {name: c, dir: ., ${creds}}`,
          `  - {name: d, dir: sinks, ${creds}}`,
          `  - {name: e, dir: sinks/e, ${creds}}`,
          `  - {name: g, dir: shared, ${creds}}`,
          `  - {name: h, dir: shared, ${creds}}`,
          'fleets:',
          `  - {name: f, dir: shared/, ${parent}}`,
          `  - {name: i, dir: "C:/x", ${parent}}`,
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "2:20 accounts[0].dir must stay inside the repository (it leads out of it through '..')",
      "3:20 accounts[1].dir must use '/' between directories, not '\\'",
      '4:20 accounts[2].dir must name a directory inside the repository, not the repository root itself',
      "6:20 accounts[4].dir 'sinks/e' is inside 'sinks', the directory of account d, which would load its sink files too; give each a directory of its own",
      "10:20 fleets[0].dir 'shared' is also the directory of account g: a fleet's sink files may use ${account.…} and a named account's may not, so give the fleet a directory of its own",
      '11:20 fleets[1].dir must be relative to the repository root, not an absolute path',
    ]);
  });

  it('refuses a directory that leads out of the repository through a symbolic link', async () => {
    const outside = await tree({ 'secret/x.yaml': 'name: x' });
    const root = await tree({ 'sinkops.yaml': 'accounts:\n  - {name: a, dir: sinks, credentials: {account_sid: A, auth_token: T}}\n' });
    await symlink(path.join(outside, 'secret'), path.join(root, 'sinks'));
    const checked = await checkRepoConfig(root);
    expect(checked).toMatchObject({
      ok: false,
      diagnostics: [{ code: 'SYMLINK_OUTSIDE', line: 2, column: 20, message: "accounts[0].dir 'sinks' leads outside the repository through a symbolic link; sinkops only reads sink files inside it" }],
    });
  });

  it('wants exactly one complete pair of credentials', () => {
    expect(credentialsProblem({ api_key: 'K', api_secret: 'S' }, 'account')).toBeUndefined();
    expect(credentialsProblem({ api_key: 'K', api_secret: 'S', account_sid: 'A' }, 'account')).toBeUndefined();
    expect(credentialsProblem({ account_sid: 'A', auth_token: 'T' }, 'account')).toBeUndefined();
    expect(credentialsProblem({ account_sid: 'A', auth_token: 'T' }, 'parent')).toBeUndefined();
    expect(credentialsProblem({ api_key: 'K', api_secret: 'S', account_sid: 'A' }, 'parent')).toBeUndefined();
    expect(credentialsProblem({ api_key: 'K', api_secret: 'S' }, 'parent')).toMatch(/needs account_sid with an API key/);
    expect(credentialsProblem({}, 'account')).toBe('names no credentials: give the variables of api_key and api_secret (account_sid optional), or account_sid and auth_token');
    expect(credentialsProblem({ account_sid: 'A' }, 'account')).toMatch(/^has account_sid but no auth_token/);
    expect(credentialsProblem({ api_secret: 'S' }, 'account')).toMatch(/has api_secret but no api_key/);
    expect(credentialsProblem({ auth_token: 'T' }, 'account')).toMatch(/has auth_token but no account_sid/);
    expect(credentialsProblem({ api_key: 'K', api_secret: 'S', account_sid: 'A', auth_token: 'T' }, 'account')).toMatch(/^names both an API key/);
    expect(credentialsProblem({ api_key: 'X', api_secret: 'X' }, 'account')).toBe('names X for both api_key and api_secret: each credential has a variable of its own');
  });

  it('normalises a directory or says why it cannot be one', () => {
    expect(normaliseDir('sinks/prod')).toEqual({ dir: 'sinks/prod' });
    expect(normaliseDir('./sinks/./prod//')).toEqual({ dir: 'sinks/prod' });
    expect(normaliseDir('a/../b')).toEqual({ dir: 'b' });
    expect(normaliseDir('a/../../b')).toHaveProperty('problem');
    expect(normaliseDir('a/..')).toHaveProperty('problem');
    expect(normaliseDir('/abs')).toHaveProperty('problem');
    expect(normaliseDir('c:\\x')).toHaveProperty('problem');
  });
});

describe('sinkops.yaml: hostile input', () => {
  it('refuses a huge file from its size alone', async () => {
    const root = await tree({});
    const handle = await open(path.join(root, 'sinkops.yaml'), 'w');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const started = performance.now();
    const checked = await checkRepoConfig(root);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(checked).toEqual({
      ok: false,
      diagnostics: [{ severity: 'error', code: 'FILE_TOO_LARGE', file: 'sinkops.yaml', line: 1, column: 1, message: 'file is 50 MiB; the limit is 256 KiB for sinkops.yaml' }],
    });
  });

  it('refuses binary and non-UTF-8 content where it starts', async () => {
    expect(await problems(new Uint8Array([0x61, 0x3a, 0x0a, 0x00]))).toEqual(['2:1 file contains a NUL byte: it is binary, not YAML text']);
    expect(await problems(new Uint8Array([0x61, 0x3a, 0x20, 0xff]))).toEqual(['1:4 file is not valid UTF-8 (byte 0xff); save it as UTF-8']);
  });

  it('stops an alias bomb without expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const started = performance.now();
    const found = await problems(`${lines.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toEqual([expect.stringMatching(/YAML aliases expand to too many nodes/)]);
  });

  it('reports __proto__ as the unknown key it is, and pollutes nothing', async () => {
    const found = await problems('__proto__: {polluted: true}\naccounts:\n  - {name: a, dir: a, credentials: {account_sid: A, auth_token: T, __proto__: {x: 1}}}\n');
    expect(found).toEqual([
      "1:1 unknown key '__proto__'",
      "3:68 unknown key '__proto__' in accounts[0].credentials",
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports a key written twice, and a second document', async () => {
    expect(await problems('accounts: []\naccounts: []\n')).toEqual(["2:1 invalid YAML: key 'accounts' appears twice in the same mapping (first on line 1)"]);
    expect(await problems('accounts:\n  - {name: a, dir: a, credentials: {account_sid: A, auth_token: T}}\n---\nfleets: []\n')).toEqual([
      "4:1 sinkops.yaml is one YAML document: remove the '---' before this one, or move what follows it into the first",
    ]);
  });

  it('says what it is when it is not a mapping, or not YAML at all', async () => {
    expect(await problems('- a\n- b\n')).toEqual(['1:1 sinkops.yaml must be a mapping with the keys accounts and fleets, not a list']);
    expect(await problems('accounts: [\n')).toEqual([expect.stringMatching(/^\d+:\d+ invalid YAML: /)]);
  });

  it('refuses a sinkops.yaml that is a link out of the repository, or a directory', async () => {
    const outside = await tree({ 'passwd.yaml': 'root: x\n' });
    const linked = await tree({});
    await symlink(path.join(outside, 'passwd.yaml'), path.join(linked, 'sinkops.yaml'));
    await expect(loadRepoConfig(linked)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: ['sinkops.yaml:1:1: error: sinkops.yaml is a symbolic link to a file outside the repository; sinkops only reads it inside'],
    });
    const dangling = await tree({});
    await symlink(path.join(dangling, 'missing.yaml'), path.join(dangling, 'sinkops.yaml'));
    await expect(loadRepoConfig(dangling)).rejects.toMatchObject({ details: [expect.stringContaining('broken symbolic link')] });
    const inside = await tree({ 'config/real.yaml': 'accounts:\n  - {name: a, dir: a, credentials: {account_sid: A, auth_token: T}}\n' });
    await symlink(path.join(inside, 'config/real.yaml'), path.join(inside, 'sinkops.yaml'));
    expect(await loadRepoConfig(inside)).toMatchObject({ accounts: [{ name: 'a' }] });
    const directory = await tree({});
    await mkdir(path.join(directory, 'sinkops.yaml'));
    await expect(loadRepoConfig(directory)).rejects.toMatchObject({ details: ['sinkops.yaml:1:1: error: not a regular file'] });
  });

  it('caps the schema problems of a file of something else', async () => {
    const lines = ['accounts:'];
    for (let i = 0; i < 80; i++) lines.push(`  - {nme: a${i}}`);
    const found = await problems(`${lines.join('\n')}\n`);
    expect(found.length).toBe(51);
    expect(found).toContainEqual(expect.stringMatching(/^\d+:\d+ \d+ more problems in sinkops.yaml not shown$/));
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const root = await tree({});
    execFileSync('mkfifo', [path.join(root, 'sinkops.yaml')]);
    await expect(loadRepoConfig(root)).rejects.toMatchObject({ details: ['sinkops.yaml:1:1: error: not a regular file'] });
  });
});
