/**
 * What the GitHub commands read from the environment GitHub Actions provides
 * (https://docs.github.com/actions/reference/variables-reference). Each missing or malformed
 * variable is a CONFIG error that names it; the token's value is never part of a message.
 */
import { SinkopsError } from '../errors.js';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GitHubConfig {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  /** Base URL of the REST API without a trailing slash: `https://api.github.com`, or `https://ghe.example.com/api/v3`. */
  readonly apiUrl: string;
  /** The only origin the token is ever sent to. */
  readonly origin: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, what: string): string {
  const value = env[name] ?? '';
  if (value === '') {
    throw new SinkopsError('CONFIG', `${name} is not set: ${what}.`, {
      details: ['GitHub Actions sets it for every step; elsewhere, export it.'],
    });
  }
  return value;
}

/** Only scheme, host and path are shown: userinfo or a query might hold a secret. */
function apiUrlFrom(raw: string): { apiUrl: string; origin: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SinkopsError('CONFIG', 'GITHUB_API_URL is not a valid URL.', { details: [`Use ${DEFAULT_GITHUB_API_URL} or your GitHub Enterprise API URL.`] });
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SinkopsError('CONFIG', `GITHUB_API_URL ('${shown}') must be an http(s) URL.`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new SinkopsError('CONFIG', `GITHUB_API_URL ('${shown}') must have no credentials, query or fragment.`);
  }
  return { apiUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, origin: url.origin };
}

export function githubConfigFromEnv(env: Env): GitHubConfig {
  const token = required(env, 'GITHUB_TOKEN', 'a token that may write pull-request comments (and, for drift, issues) is needed');
  const repository = required(env, 'GITHUB_REPOSITORY', 'the repository, as owner/name, is needed');
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (match === null) {
    throw new SinkopsError('CONFIG', `GITHUB_REPOSITORY must be owner/name, not '${repository}'.`);
  }
  const [, owner = '', repo = ''] = match;
  const raw = env['GITHUB_API_URL'];
  return { token, owner, repo, ...apiUrlFrom(raw === undefined || raw === '' ? DEFAULT_GITHUB_API_URL : raw) };
}
