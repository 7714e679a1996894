// CPU time of processes from /proc (Linux), for benchmarks that say where the work went:
// meter.start() … meter.stop() → CPU seconds per named process over that interval.
const fs = require('node:fs');

const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuSecondsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/** The pids whose command line starts with `prefix` (e.g. '/usr/sbin/mariadbd'). */
function pidsOf(prefix) {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').startsWith(prefix);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Peak resident memory (VmHWM) of a process in MB. */
function peakRssMb(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** `targets`: { name: pid | pid[] }. */
function cpuMeter(targets) {
  const entries = Object.entries(targets).map(([name, pids]) => [name, [].concat(pids).filter(Boolean)]);
  const total = (pids) => pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0);
  let before = null;
  let startedAt = 0;
  return {
    start() {
      before = entries.map(([, pids]) => total(pids));
      startedAt = performance.now();
    },
    /** CPU seconds per target, and the wall seconds they were measured over. */
    stop() {
      const wall = (performance.now() - startedAt) / 1000;
      const used = Object.fromEntries(entries.map(([name, pids], i) => [name, total(pids) - before[i]]));
      return { wall, used };
    },
  };
}

module.exports = { cpuMeter, pidsOf, peakRssMb };
