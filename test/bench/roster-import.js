// Roster import throughput: 10,000 firm rows through POST /api/v1/roster/import/firms.
// Starts the built API (build first: NX_DAEMON=false npx nx run-many -t build -p contracts domain api),
// logs in as the seeded community admin, writes a workbook of N new firms spread over the demo
// micro-grids, and times: dry run, commit (all created), the same file again (all unchanged),
// and a file that moves every firm and changes its address (all updated). Prints ms, rows/s and
// the API process's peak RSS.
//   node test/bench/roster-import.js [rows=10000]
const fs = require('node:fs');
const ExcelJS = require('exceljs');
const { usccCheckDigit } = require('../../libs/domain/dist');
const { startApiProcess, tokenFor } = require('../support/api-process');

const N = Number(process.argv[2] || 10_000);
const COMMUNITY = '330206101001';
// The demo community: 3 grids × 10 micro-grids.
const MICROGRIDS = [1, 2, 3].flatMap((g) => Array.from({ length: 10 }, (_, k) => `${COMMUNITY}${String(g).padStart(3, '0')}${String(k + 1).padStart(2, '0')}`));
const HEADERS = ['企业名称', '统一社会信用代码', '规模', '行业', '地址', '纬度', '经度', '微网格编码'];

function creditCode(n) {
  const first17 = `91330206MA4${String(n).padStart(6, '0')}`;
  return first17 + usccCheckDigit(first17);
}

async function firmWorkbook(shift) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  ws.addRow(HEADERS);
  for (let i = 0; i < N; i++) {
    ws.addRow([
      `宁波基准测试${i}号制造有限公司`,
      creditCode(i + 1),
      i % 5 === 0 ? '规上' : '规下',
      '通用设备制造',
      `滨海大道${i + shift * 100_000}号`,
      Number((29.9 + (i % 100) * 0.0001).toFixed(6)),
      Number((121.85 + (i % 70) * 0.0001).toFixed(6)),
      MICROGRIDS[(i + shift) % MICROGRIDS.length],
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The API's own process (spawned by api-process.js with its DB_NAME in the environment). */
function apiPid(dbName) {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (env.includes(`DB_NAME=${dbName}\0`) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.js')) return pid;
    } catch {
      // gone, or not ours
    }
  }
  return null;
}

function memory(pid) {
  if (!pid) return 'n/a';
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  return `RSS ${Math.round(kb('VmRSS') / 1024)} MB, peak ${Math.round(kb('VmHWM') / 1024)} MB`;
}

async function main() {
  const api = await startApiProcess({ WECHAT_FAKE: 'true', LOG_LEVEL: 'error' });
  try {
    const pid = apiPid(api.dbName);
    const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
    const admin = people.find((p) => p.roles.includes('社区管理员'));
    const token = await tokenFor(api.baseUrl, admin.id);

    const upload = async (file, mode) => {
      const form = new FormData();
      form.append('file', new Blob([file]), 'firms.xlsx');
      const started = process.hrtime.bigint();
      const res = await fetch(`${api.baseUrl}/api/v1/roster/import/firms?mode=${mode}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const body = await res.json();
      if (res.status !== 200 || body.errors.length) throw new Error(`${mode} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      return { ms, body };
    };
    const report = (label, { ms, body }) =>
      console.log(
        `${label.padEnd(34)} ${String(Math.round(ms)).padStart(6)} ms  ${String(Math.round((body.rows / ms) * 1000)).padStart(6)} rows/s  created ${body.created}, updated ${body.updated}  (${memory(pid)})`,
      );

    const file = await firmWorkbook(0);
    console.log(`workbook: ${N} firm rows, ${(file.length / 1024).toFixed(0)} KiB; API pid ${pid ?? 'unknown'}, ${memory(pid)} before`);
    report('dry run (all new)', await upload(file, 'dry-run'));
    report('commit (all created)', await upload(file, 'commit'));
    report('commit same file (all unchanged)', await upload(file, 'commit'));
    const moved = await firmWorkbook(1);
    report('dry run (all moved + changed)', await upload(moved, 'dry-run'));
    report('commit (all moved + changed)', await upload(moved, 'commit'));

    const started = process.hrtime.bigint();
    const res = await fetch(`${api.baseUrl}/api/v1/roster/export/firms`, { headers: { authorization: `Bearer ${token}` } });
    const exported = Buffer.from(await res.arrayBuffer());
    console.log(`export (${N + 90} firms)`.padEnd(34), String(Math.round(Number(process.hrtime.bigint() - started) / 1e6)).padStart(6), `ms  ${(exported.length / 1024).toFixed(0)} KiB  (${memory(pid)})`);
  } finally {
    await api.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
