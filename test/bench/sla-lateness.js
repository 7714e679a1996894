// Timer lateness of the walking skeleton: fire time − due time of acknowledge deadlines.
// Starts the built API (npx nx run api:build first), raises N tickets with a short acknowledge
// window, lets every one escalate, and prints p50/p95/p99/max lateness from the sla_timer rows.
//   node test/bench/sla-lateness.js [tickets=1000] [ackSeconds=5]
const { startApiProcess, tokenFor } = require('../support/api-process');

const N = Number(process.argv[2] || 1000);
const ACK_SECONDS = Number(process.argv[3] || 5);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  // The demo category's 30-minute acknowledge window compressed to ACK_SECONDS.
  const api = await startApiProcess({ SLA_TIME_SCALE: String(ACK_SECONDS / 1800), LOG_LEVEL: 'error' });
  try {
    const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
    const contact = people.find((p) => p.roles.length === 1 && p.roles[0] === '企业联系人');
    const token = await tokenFor(api.baseUrl, contact.id);
    const auth = { authorization: `Bearer ${token}` };
    const defaults = await (await fetch(`${api.baseUrl}/api/v1/intake/defaults`, { headers: auth })).json();
    const body = JSON.stringify({ categoryId: defaults.categoryId });
    const started = Date.now();
    for (let i = 0; i < N; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, N - i) }, async () => {
          const res = await fetch(`${api.baseUrl}/api/v1/tickets`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth },
            body,
          });
          if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
        }),
      );
    }
    const createMs = Date.now() - started;
    const conn = await api.connectDb();
    const until = Date.now() + (ACK_SECONDS + 60) * 1000;
    let rows = [];
    while (Date.now() < until) {
      [rows] = await conn.query(
        "SELECT TIMESTAMPDIFF(MICROSECOND, due_at, fired_at) / 1000 AS late FROM sla_timer WHERE level = 0 AND state = 'fired'",
      );
      if (rows.length >= N) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await conn.end();
    const late = rows.map((r) => Number(r.late)).sort((a, b) => a - b);
    console.log(`tickets: ${N}, created in ${createMs} ms (${Math.round((N / createMs) * 1000)}/s, sequential batches of 50)`);
    console.log(`fired: ${late.length}/${N}`);
    console.log(
      `lateness ms: p50 ${percentile(late, 50).toFixed(1)}  p95 ${percentile(late, 95).toFixed(1)}  p99 ${percentile(late, 99).toFixed(1)}  max ${late[late.length - 1].toFixed(1)}`,
    );
  } finally {
    await api.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
