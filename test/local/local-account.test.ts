import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalAccount, type LocalAccount } from '../../src/local/local-account.js';

const opened: LocalAccount[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const account of opened.splice(0)) await account.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<LocalAccount> {
  const dir = mkdtempSync(join(tmpdir(), 'sinkops-local-'));
  dirs.push(dir);
  const account = await openLocalAccount(dir, pino({ level: 'silent' }), []);
  opened.push(account);
  return account;
}

async function api(account: LocalAccount, method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: any }> {
  const { baseUrl, username, password } = account.config;
  const headers: Record<string, string> = { Authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64') };
  const res = await fetch(baseUrl + path, { method, headers, ...(form ? { body: new URLSearchParams(form) } : {}) });
  return { status: res.status, body: await res.json() };
}

const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/s', role_arn: 'arn:aws:iam::111111111111:role/R', external_id: 'local-ext' };
const createKinesis = (account: LocalAccount, description: string) =>
  api(account, 'POST', '/v1/Sinks', { Description: description, SinkType: 'kinesis', SinkConfiguration: JSON.stringify(KINESIS) });

describe('the local account', () => {
  it('follows Twilio as it is: sinks active on creation, at most 100 sinks', async () => {
    const account = await open();
    const seeded = (await api(account, 'GET', '/v1/Sinks?PageSize=1000')).body.sinks as { status: string }[];
    expect(seeded.every((s) => s.status === 'active')).toBe(true);

    const first = await createKinesis(account, 'a stream');
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('active');
    for (let n = seeded.length + 1; n < 100; n++) expect((await createKinesis(account, `stream ${n}`)).status).toBe(201);
    const refused = await createKinesis(account, 'one too many');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(91003);
  });
});
