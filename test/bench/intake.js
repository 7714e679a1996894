// Intake throughput: POST /api/v1/tickets (ticket + created event + acknowledge timer in one
// transaction, the BullMQ job armed after commit) against the built API as one process with its
// workers, MariaDB and Redis on this machine.
//  1. saturation: C clients in closed loops for D seconds → requests/s, errors;
//  2. offered load: R requests/s at a fixed rate for D seconds → latency p50/p99, errors.
//   node test/bench/intake.js [clients=32] [rate=400] [seconds=15]
const { startApiProcess, tokenFor } = require('../support/api-process');

const CLIENTS = Number(process.argv[2] || 32);
const RATE = Number(process.argv[3] || 400);
const SECONDS = Number(process.argv[4] || 15);
const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

async function main() {
  const api = await startApiProcess({ LOG_LEVEL: 'error' });
  try {
    const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
    const contacts = people.filter((p) => p.roles.length === 1 && p.roles[0] === '企业联系人').slice(0, 20);
    const tokens = await Promise.all(contacts.map((c) => tokenFor(api.baseUrl, c.id)));
    const { categoryId } = await (
      await fetch(`${api.baseUrl}/api/v1/intake/defaults`, { headers: { authorization: `Bearer ${tokens[0]}` } })
    ).json();
    let seq = 0;
    const raise = async () => {
      const n = seq++;
      const started = performance.now();
      const res = await fetch(`${api.baseUrl}/api/v1/tickets`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[n % tokens.length]}`,
          'idempotency-key': `bench-${process.pid}-${n}`,
        },
        body: JSON.stringify({ categoryId, description: '压测' }),
      });
      await res.arrayBuffer();
      return { ok: res.status === 201, ms: performance.now() - started };
    };

    // Warm-up.
    for (let i = 0; i < 50; i++) await raise();

    let ok = 0;
    let errors = 0;
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < until) {
          const r = await raise();
          if (r.ok) ok++;
          else errors++;
        }
      }),
    );
    console.log(`saturation, ${CLIENTS} clients, ${SECONDS} s: ${Math.round(ok / SECONDS)} requests/s, ${errors} errors`);

    const lat = [];
    let offeredErrors = 0;
    const pending = [];
    const start = Date.now();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        raise().then((r) => {
          lat.push(r.ms);
          if (!r.ok) offeredErrors++;
        }),
      );
    }
    await Promise.all(pending);
    lat.sort((a, b) => a - b);
    console.log(
      `offered ${RATE}/s for ${SECONDS} s: p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms, ${offeredErrors} errors`,
    );
  } finally {
    await api.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
