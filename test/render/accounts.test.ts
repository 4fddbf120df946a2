/**
 * The plan of many accounts (SPEC §14): one line for an account without changes, the reason for one
 * that failed, one legend, the accounts' totals; in Markdown the plan hash first, a table with what
 * deletes first, each account's changes in its own <details>, within GitHub's limit; in JSON one
 * entry per account beside a total.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/model.js';
import { accountsPlanHash, planHash } from '../../src/plan/plan-hash.js';
import { renderAccountsPlan, type AccountPlanView } from '../../src/render/accounts.js';
import { MARKDOWN_LIMIT } from '../../src/render/index.js';
import { desired, PLAN, remote, state } from '../plan/helpers.js';

const OPTIONS = { color: false, verbose: false };

/** An account that creates one sink. */
function creating(name: string): Plan {
  return plan([desired(name)], state([]), PLAN);
}

/** An account whose one sink matches. */
function unchanged(): Plan {
  return plan([desired('orders')], state([remote(1, { name: 'orders', description: 'orders sink', config: { destination: 'https://example.org/orders', method: 'POST' } })]), PLAN);
}

/** An account that deletes one sink. */
function deleting(): Plan {
  return plan([], state([remote(2, { name: 'old' })]), { ...PLAN });
}

function view(accounts: AccountPlanView[]) {
  return { accounts, hash: accountsPlanHash(accounts.map((a) => ({ name: a.name, hash: a.plan === undefined ? undefined : planHash(a.plan) }))) };
}

const FAILED: AccountPlanView = { name: 'staging', error: { code: 'TWILIO_API', message: 'Twilio answered 401 (20003): Authenticate', details: ['Check STAGING_TWILIO_AUTH_TOKEN.'] } };

describe('text', () => {
  it('draws changed accounts in full, unchanged ones in a line, failed ones with their reason, then the totals', () => {
    const text = renderAccountsPlan(view([{ name: 'customers/a', plan: creating('hook') }, { name: 'production', plan: unchanged() }, FAILED]), 'text', OPTIONS);
    expect(text).toMatch(/^sinkops plan: 3 accounts\n/);
    expect(text).toContain('== customers/a ==');
    expect(text).toContain('+ sink "hook"');
    expect(text).toContain('production: No changes. Twilio sinks match the repository.');
    expect(text).toContain('staging: failed: Twilio answered 401 (20003): Authenticate (TWILIO_API)\n  Check STAGING_TWILIO_AUTH_TOKEN.');
    expect(text).toContain('3 accounts: 1 with changes, 1 without, 1 failed.');
    expect(text).toContain('Plan (all accounts): 1 to create, 0 to update, 0 to replace, 0 to delete.');
    // One legend for all: the embedded plans have none of their own, and no title either.
    expect(text.match(/Actions are shown with the following symbols/g)).toHaveLength(1);
    expect(text).not.toContain('Remote basis:');
  });

  it('escapes what Twilio or the account says (names and messages are remote text)', () => {
    const text = renderAccountsPlan(view([{ name: 'x', error: { code: 'TWILIO_API', message: 'bad \u001b[31mred\u001b[0m\nnext', details: [] } }]), 'text', OPTIONS);
    expect(text).not.toContain('\u001b');
  });
});

describe('markdown', () => {
  it('starts with the hash of the whole, tables the accounts that change (deletes first), lists the others, details each', () => {
    const accounts = [{ name: 'a-creates', plan: creating('hook') }, { name: 'b-deletes', plan: deleting() }, { name: 'c-same', plan: unchanged() }, FAILED];
    const v = view(accounts);
    const md = renderAccountsPlan(v, 'markdown', OPTIONS);
    expect(md.split('\n')[0]).toBe(`<!-- sinkops:plan-hash ${v.hash} -->`);
    expect(md).toContain('### sinkops plan: 4 accounts');
    expect(md).toMatch(/> \*\*Warning:\*\* 1 account has deletions, replacements or blocked actions: `b-deletes` \(this plan deletes 1 sink\)/);
    const table = md.slice(0, md.indexOf('<details>')).split('\n').filter((l) => l.startsWith('| `'));
    expect(table.map((r) => r.split(' | ')[0])).toEqual(['| `b-deletes`', '| `staging`', '| `a-creates`']);
    expect(table[1]).toContain('failed: Twilio answered 401');
    expect(md).toContain('1 account without changes: `c-same`.');
    expect(md).toContain('<details><summary><code>b-deletes</code>: Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.</summary>');
    // The accounts' own plans carry no second hash, title or footer.
    expect(md.match(/sinkops:plan-hash/g)).toHaveLength(1);
    expect(md.match(/<sub>plan /g)).toHaveLength(1);
  });

  it('a thousand accounts stay within the comment limit, deletions listed first, what was left out said', () => {
    const big = plan(Array.from({ length: 40 }, (_, i) => desired(`hook-${i}`)), state([]), PLAN);
    const accounts: AccountPlanView[] = [];
    for (let i = 0; i < 1000; i++) accounts.push({ name: `customers/cust-${String(i).padStart(4, '0')}`, plan: i % 100 === 0 ? deleting() : big });
    const md = renderAccountsPlan(view(accounts), 'markdown', OPTIONS);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/> \*\*Note:\*\* this plan was shortened to 65000 characters/);
    const rows = md.slice(0, md.indexOf('<details>')).split('\n').filter((l) => l.startsWith('| `'));
    // The ten accounts that delete come first in the table, and all their details are kept.
    expect(rows.slice(0, 10).map((r) => r.split(' | ').slice(1, 6).join(' '))).toEqual(Array(10).fill('0 0 0 1 0'));
    expect(rows[10]).toContain('| 40 | 0 | 0 | 0 | 0 |');
    for (let i = 0; i < 1000; i += 100) expect(md).toContain(`<details><summary><code>customers/cust-${String(i).padStart(4, '0')}</code>`);
  });
});

describe('json', () => {
  it('one entry per account (a failed one with its error), the totals, the hash of the whole', () => {
    const v = view([{ name: 'a', plan: creating('hook') }, { name: 'b', plan: deleting() }, FAILED]);
    const doc = JSON.parse(renderAccountsPlan(v, 'json', OPTIONS)) as Record<string, any>;
    expect(doc['format_version']).toBe(2);
    expect(doc['plan_hash']).toBe(v.hash);
    expect(doc['summary']).toMatchObject({ create: 1, delete: 1 });
    expect(doc['accounts'].map((a: { name: string }) => a.name)).toEqual(['a', 'b', 'staging']);
    expect(doc['accounts'][0]).toMatchObject({ name: 'a', summary: { create: 1 }, actions: [{ action: 'create', name: 'hook' }] });
    expect(doc['accounts'][0]).not.toHaveProperty('format_version');
    expect(doc['accounts'][2]).toEqual({ name: 'staging', error: FAILED.error });
  });
});

describe('accountsPlanHash', () => {
  it('covers every account, in no particular order, and a failed account differs from a planned one', () => {
    const a = { name: 'a', hash: planHash(creating('x')) };
    const b = { name: 'b', hash: planHash(unchanged()) };
    expect(accountsPlanHash([a, b])).toBe(accountsPlanHash([b, a]));
    expect(accountsPlanHash([a, b])).not.toBe(accountsPlanHash([a]));
    expect(accountsPlanHash([a, b])).not.toBe(accountsPlanHash([a, { name: 'b', hash: undefined }]));
    expect(accountsPlanHash([a, b])).not.toBe(accountsPlanHash([{ name: 'a', hash: b.hash }, { name: 'b', hash: a.hash }]));
  });
});
