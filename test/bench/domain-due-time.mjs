// Due-time computation on a working-time calendar (08:30–17:30, lunch 12:00–13:30, Chinese
// public holidays and make-up days) over a 90-day span of starts, with varied durations.
// Run: npm run build -w @qihu/domain && node test/bench/domain-due-time.mjs
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);
const { compileCalendar, STANDARD_WORKING_TIME_SPEC, shanghaiTime, DAY_MS, MINUTE_MS, HOUR_MS } = require('../../libs/domain/dist/index.js');

const SPAN_DAYS = 90;
const SAMPLE = 100_000; // distinct (start, duration) pairs, cycled through
const BATCH = 1_000; // calls per timed batch
const RUNS = 7;

// Deterministic pseudo-random inputs (mulberry32), so runs are comparable.
let seed = 20260215;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const spanStart = shanghaiTime('2026-01-01');
const durations = [30 * MINUTE_MS, 2 * HOUR_MS, 7.5 * HOUR_MS, 3 * 7.5 * HOUR_MS, 10 * 7.5 * HOUR_MS, 40 * 7.5 * HOUR_MS];
const starts = new Float64Array(SAMPLE);
const lengths = new Float64Array(SAMPLE);
for (let i = 0; i < SAMPLE; i++) {
  starts[i] = spanStart + Math.floor(random() * SPAN_DAYS * DAY_MS);
  // half from the typical SLA windows, half any length up to 40 working days
  lengths[i] = random() < 0.5 ? durations[Math.floor(random() * durations.length)] : Math.floor(random() * 40 * 7.5 * HOUR_MS);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Cold: a fresh calendar, first call builds the day blocks it touches.
const coldCal = compileCalendar(STANDARD_WORKING_TIME_SPEC);
let t = process.hrtime.bigint();
coldCal.dueAt(starts[0], lengths[0]);
const coldUs = Number(process.hrtime.bigint() - t) / 1e3;

const calendar = compileCalendar(STANDARD_WORKING_TIME_SPEC);
let sink = 0;
for (let i = 0; i < SAMPLE; i++) sink += calendar.dueAt(starts[i], lengths[i]) % 7; // warm-up (JIT + cache)

const runMedians = [];
for (let run = 0; run < RUNS; run++) {
  const batchNs = [];
  for (let b = 0; b < SAMPLE / BATCH; b++) {
    const from = b * BATCH;
    t = process.hrtime.bigint();
    for (let i = from; i < from + BATCH; i++) sink += calendar.dueAt(starts[i], lengths[i]) % 7;
    batchNs.push(Number(process.hrtime.bigint() - t) / BATCH);
  }
  runMedians.push(median(batchNs));
}

const MILLION = 1_000_000;
t = process.hrtime.bigint();
for (let i = 0; i < MILLION; i++) sink += calendar.dueAt(starts[i % SAMPLE], lengths[i % SAMPLE]) % 7;
const millionMs = Number(process.hrtime.bigint() - t) / 1e6;

// Fresh calendar each time for the million: what a restarted process pays including cache builds.
const fresh = compileCalendar(STANDARD_WORKING_TIME_SPEC);
t = process.hrtime.bigint();
for (let i = 0; i < MILLION; i++) sink += fresh.dueAt(starts[i % SAMPLE], lengths[i % SAMPLE]) % 7;
const freshMillionMs = Number(process.hrtime.bigint() - t) / 1e6;

const medianNs = median(runMedians);
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
console.log(`due time, working-time calendar, ${SPAN_DAYS}-day span of starts, ${SAMPLE} distinct inputs`);
console.log(`per-run median ns/call: ${runMedians.map((x) => x.toFixed(0)).join(', ')}`);
console.log(`median: ${medianNs.toFixed(0)} ns/call (${(medianNs / 1000).toFixed(3)} µs)  target < 5 µs: ${medianNs < 5000 ? 'met' : 'MISSED'}`);
console.log(`1,000,000 deadlines: ${millionMs.toFixed(0)} ms warm, ${freshMillionMs.toFixed(0)} ms on a fresh calendar; first call cold: ${coldUs.toFixed(0)} µs`);
if (sink === -1) console.log(sink);
if (medianNs >= 5000) process.exitCode = 1;
