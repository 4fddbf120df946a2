import type { IncomingMessage } from 'node:http';
import { ApiError, TWILIO_CODES, invalidParameter, missingParameter } from './errors.js';

/** Twilio's bodies are small; anything larger is refused rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a form-encoded body (`application/x-www-form-urlencoded`, Twilio's only request encoding). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, TWILIO_CODES.INVALID_PARAMETER, `Request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  if (size === 0) return new URLSearchParams();
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && type !== 'application/x-www-form-urlencoded') {
    throw new ApiError(415, TWILIO_CODES.INVALID_PARAMETER, `Unsupported Content-Type ${type}: send application/x-www-form-urlencoded`);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A required, non-empty parameter. */
export function requiredParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw missingParameter(name);
  return value;
}

/** A parameter that carries JSON (`SinkConfiguration`, each `Types` entry). */
export function parseJsonParam(name: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw invalidParameter(`Invalid ${name}: not valid JSON`);
  }
}
