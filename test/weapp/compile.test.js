/**
 * The weapp build compiles with WeChat's own template and style compilers (wcc / wcsc, the Linux
 * binaries shipped in miniprogram-compiler), and its main package stays under the upload limit.
 * Assumes `npm run build-weapp -w @qihu/miniprogram` has run (the Nx target builds it first).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');

const DIST = path.resolve(__dirname, '../../apps/miniprogram/dist/weapp');
/** WeChat refuses to upload a main package over 2 MB; keep headroom for the pages still to come. */
const MAIN_PACKAGE_BUDGET_BYTES = 1.5 * 1024 * 1024;

if (!fs.existsSync(path.join(DIST, 'app.json'))) {
  throw new Error(
    `No weapp build at ${DIST}. Run \`npx nx run miniprogram:build-weapp\` ` +
      '(or `npm run build-weapp -w @qihu/miniprogram`) first.',
  );
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
function listFiles(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}

const files = listFiles(DIST);
const withExt = (ext) => files.filter((file) => file.endsWith(ext)).sort();

/**
 * The binaries ship without the execute bit; copy them out rather than chmod node_modules
 * (which may be read-only, or shared with other jobs).
 */
let binDir;
function compiler(name) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`wcc/wcsc checks need linux-x64 (got ${process.platform}-${process.arch})`);
  }
  if (!binDir) {
    const source = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin/linux');
    binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qihu-wcc-'));
    for (const binary of ['wcc', 'wcsc']) {
      fs.copyFileSync(path.join(source, binary), path.join(binDir, binary));
      fs.chmodSync(path.join(binDir, binary), 0o755);
    }
  }
  return path.join(binDir, name);
}

function run(binary, args, cwd) {
  const result = spawnSync(compiler(binary), args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** Compiles the templates together (pages import base.wxml); throws with wcc's own message. */
function compileWxml(root, wxmlFiles, wxsFiles = []) {
  const out = run('wcc', ['-d', '-cc', '0', ...wxmlFiles, ...wxsFiles, '-gn', '$gwx'], root);
  if (out.status !== 0) throw new Error(`wcc failed (exit ${out.status}):\n${out.stderr}${out.stdout}`);
  return out.stdout;
}

/** Loads wcc's output, as WeChat's view layer does, and returns its `$gwx(path)` template lookup. */
function loadTemplates(generated) {
  const sandbox = { console };
  sandbox.window = sandbox;
  vm.runInNewContext(generated, sandbox);
  return sandbox.$gwx;
}

/**
 * `file` and every stylesheet it @imports, transitively (relative to `root`), as WeChat hands
 * them to wcsc together: wcsc resolves an @import only among the files it is given. A missing
 * import stays in the list, and wcsc reports it.
 */
function withImports(root, file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const absolute = path.join(root, file);
  if (!fs.existsSync(absolute)) return [file];
  const source = fs.readFileSync(absolute, 'utf8');
  const imports = [...source.matchAll(/@import\s+["']([^"']+)["']/g)].map((m) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])),
  );
  return [file, ...imports.flatMap((imported) => withImports(root, imported, seen))];
}

/** Compiles one stylesheet (with what it imports); throws with wcsc's own message. */
function compileWxss(root, wxssFile) {
  const out = run('wcsc', ['-db', '-pc', '0', ...withImports(root, wxssFile)], root);
  if (out.status !== 0) throw new Error(`wcsc failed on ${wxssFile} (exit ${out.status}):\n${out.stderr}${out.stdout}`);
  return out.stdout;
}

/** Sub-package roots from app.json (either spelling WeChat accepts). */
function subPackageRoots() {
  const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8'));
  return [...(app.subPackages || []), ...(app.subpackages || [])].map((pkg) => pkg.root.replace(/\/?$/, '/'));
}

afterAll(() => {
  if (binDir) fs.rmSync(binDir, { recursive: true, force: true });
});

describe('dist/weapp', () => {
  it('has the app, its pages and their templates, the role pages in sub-packages', () => {
    const pages = [
      'pages/index/index',
      'pages/login/index',
      'pages/me/index',
      'packages/firm/pages/request/index',
      'packages/firm/pages/mine/index',
      'packages/staff/pages/inbox/index',
      'packages/staff/pages/firms/index',
      'packages/staff/pages/people/index',
      'packages/staff/pages/duty/index',
      'packages/crew/pages/dispatches/index',
      'packages/common/pages/ticket/index',
      'packages/common/pages/notifications/index',
    ];
    for (const file of ['app.js', 'app.json', ...pages.flatMap((page) => [`${page}.js`, `${page}.wxml`])]) {
      expect(files).toContain(file);
    }
    expect(subPackageRoots()).toEqual(['packages/firm/', 'packages/staff/', 'packages/crew/', 'packages/common/']);
  });

  it('compiles every WXML with wcc', () => {
    const wxml = withExt('.wxml');
    expect(wxml.length).toBeGreaterThan(0);

    const $gwx = loadTemplates(compileWxml(DIST, wxml, withExt('.wxs')));

    for (const file of wxml) expect({ file, render: typeof $gwx(file) }).toEqual({ file, render: 'function' });
  });

  it.each(withExt('.wxss'))('compiles %s with wcsc', (file) => {
    expect(compileWxss(DIST, file)).toMatch(/version=/);
  });

  it(`keeps the main package under ${MAIN_PACKAGE_BUDGET_BYTES} bytes`, () => {
    const roots = subPackageRoots();
    const main = files.filter((file) => !roots.some((root) => file.startsWith(root)));
    const bytes = main.reduce((sum, file) => sum + fs.statSync(path.join(DIST, file)).size, 0);

    console.log(`dist/weapp main package: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB) in ${main.length} files`);
    expect(bytes).toBeLessThan(MAIN_PACKAGE_BUDGET_BYTES);
  });
});

describe('the compilers catch broken sources', () => {
  let dir;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qihu-broken-'));
    fs.writeFileSync(path.join(dir, 'good.wxml'), '<view class="a"><text>{{ok}}</text></view>\n');
    fs.writeFileSync(path.join(dir, 'broken.wxml'), '<view class="a">\n  <text>{{ok}}</text>\n</vie>\n');
    fs.writeFileSync(path.join(dir, 'broken.wxss'), '.a { color: red;\n  .b { }\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('wcc accepts a well-formed template, and the result renders', () => {
    const render = loadTemplates(compileWxml(dir, ['good.wxml']))('good.wxml');

    expect(JSON.stringify(render({ ok: '已受理' }, {}, {}))).toContain('"tag":"wx-text","attr":{},"children":["已受理"]');
  });

  it('wcc fails with its message on a mismatched tag', () => {
    expect(() => compileWxml(dir, ['broken.wxml'])).toThrow(/wcc failed[\s\S]*broken\.wxml/);
  });

  it('wcsc fails with its message on an unbalanced rule', () => {
    expect(() => compileWxss(dir, 'broken.wxss')).toThrow(/wcsc failed[\s\S]*broken\.wxss\(2:/);
  });
});
