import { it } from 'vitest';
import { request, Agent } from 'node:http';
import { emulator, createSinkForm, WEBHOOK, basic } from './helpers.js';
function post(agent: Agent, url: string, path: string, body: string, auth: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject); req.end(body);
  });
}
it('bench', async () => {
  const emu = await emulator({ faults: { concurrencyLimit: 20 } });
  const auth = basic(emu.accountSid, emu.authToken);
  for (const mode of ['node-http', 'fetch-get', 'fetch-post']) {
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < 1000) {
        const i = next++;
        const body = new URLSearchParams(createSinkForm(`s${i}`, 'webhook', WEBHOOK)).toString();
        if (mode === 'node-http') await post(agent, emu.url, '/v1/Sinks', body, auth);
        else if (mode === 'fetch-get') await (await fetch(emu.url + '/v1/Sinks?PageSize=1', { headers: { Authorization: auth } })).text();
        else await (await fetch(emu.url + '/v1/Sinks', { method: 'POST', body, headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' } })).text();
      }
    }));
    console.log(`${mode}: ${(performance.now() - t0).toFixed(0)} ms`);
    agent.destroy();
  }
}, 60000);
