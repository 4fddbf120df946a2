/**
 * sinkops.yaml against schemas/sinkops.schema.json: the validator is compiled at build time, like
 * the sink schema's (scripts/generate-schema-validator.mjs), and its errors are worded by the sink
 * loader's machinery (src/desired/schema-errors.ts) with this file's own `SchemaWording`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { suggestionSuffix } from '../desired/did-you-mean.js';
import type { Diagnostic } from '../desired/model.js';
import type { ParsedDocument } from '../desired/parse-documents.js';
import { describeSchemaErrorsWith, pathDisplay, quotedValue, showKey, type SchemaProblem, type SchemaWording } from '../desired/schema-errors.js';
import { locateOffset, toPosition } from '../desired/yaml-locate.js';
import { validate as generatedValidate } from './generated/sinkops-validate.js';

const validate = generatedValidate as ValidateFunction;

/** More than this many schema problems in sinkops.yaml is a file of something else: the rest would be noise. */
const MAX_SCHEMA_PROBLEMS = 50;

/** The keys of an account entry and of a fleet entry, for hints about a key in the wrong kind of entry. */
const ACCOUNT_KEYS = ['name', 'dir', 'credentials'];
const FLEET_ONLY_KEYS = ['parent', 'subaccounts'];

/** `accounts[0].credentials.api_key`: the entry of a list in brackets. */
export function configPath(path: readonly string[]): string {
  return pathDisplay(path, (p, i) => i === 1 && (p[0] === 'accounts' || p[0] === 'fleets'));
}

/** The keys the schema allows where an unknown key was found: ajv's verbose errors carry the schema around it. */
function allowedKeys(e: ErrorObject): string[] {
  const properties: unknown = e.parentSchema?.['properties'];
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** Why a key is unknown, with the likeliest fix: a close spelling, or the kind of entry it belongs to. */
function unknownKey(path: readonly string[], key: string, allowed: readonly string[]): SchemaProblem {
  let hint = suggestionSuffix(key, allowed);
  if (hint === '' && path.length === 0 && ACCOUNT_KEYS.includes(key)) hint = `; '${key}' belongs to an entry of accounts (- name: …, dir: …, credentials: …)`;
  if (hint === '' && path.length === 2 && path[0] === 'accounts' && FLEET_ONLY_KEYS.includes(key)) hint = `; '${key}' is a key of a fleet (under fleets)`;
  if (hint === '' && path.length === 2 && path[0] === 'fleets' && key === 'credentials') hint = "; a fleet's credentials are its parent's: write them under parent";
  const where = path.length === 0 ? '' : ` in ${configPath(path)}`;
  return { code: 'UNKNOWN_KEY', path: [...path, key], target: 'key', message: `unknown key '${showKey(key)}'${where}${hint}` };
}

const WORDING: SchemaWording = {
  display: configPath,
  unknownKey: (path, key) => unknownKey(path, key, []),
  // Credentials are variable names, but a value pasted there by mistake is the secret itself: never repeated.
  showValue: (path, data) => (path.includes('credentials') || path.includes('parent') ? undefined : quotedValue(data)),
  special(e, path) {
    if (e.keyword === 'additionalProperties') {
      return unknownKey(path, String((e.params as { additionalProperty?: unknown }).additionalProperty), allowedKeys(e));
    }
    return null;
  },
};

/** The schema's verdict on the document, each problem located where it is written. */
export function schemaDiagnostics(parsed: ParsedDocument): Diagnostic[] {
  if (validate(parsed.data)) return [];
  const problems = describeSchemaErrorsWith(validate.errors ?? [], WORDING);
  const place = (path: readonly string[], target: 'key' | 'value'): { line: number; column: number } =>
    toPosition(parsed.lineCounter, locateOffset(parsed.doc, path, target));
  const out: Diagnostic[] = problems.slice(0, MAX_SCHEMA_PROBLEMS).map((p) => ({
    severity: 'error',
    code: p.code,
    file: parsed.file,
    ...place(p.path, p.target),
    message: p.message,
  }));
  const firstHidden = problems[MAX_SCHEMA_PROBLEMS];
  if (firstHidden !== undefined) {
    out.push({
      severity: 'error',
      code: 'SCHEMA',
      file: parsed.file,
      // Where the problems not shown begin.
      ...place(firstHidden.path, firstHidden.target),
      message: `${problems.length - MAX_SCHEMA_PROBLEMS} more problems in ${parsed.file} not shown`,
    });
  }
  return out;
}
