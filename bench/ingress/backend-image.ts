/**
 * The backend image of the ingress benchmark, built locally (no registry): FROM scratch, the `node` binary
 * running this process plus the shared libraries `ldd` lists for it, a static busybox for a shell, and a
 * tiny HTTP server that answers every request with the container's hostname, keep-alive.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The image's name. */
export const BACKEND_IMAGE = 'orch-bench/ingress-backend';
/** The port the server listens on in the container. */
export const BACKEND_PORT = 8080;

/** The label holding the hash of everything that went into the image. */
const CONTENT_LABEL = 'orch.bench.content';
/** Where scripts/ensure-docker.sh puts a static busybox. */
const BUSYBOX = '/bin/busybox';
const NODE_IN_IMAGE = '/usr/local/bin/node';
const SERVER_IN_IMAGE = '/srv/server.js';

/** The server: the hostname for every request; exits on SIGTERM (it runs as PID 1, which has no default handler). */
const SERVER_JS = `'use strict';
const http = require('node:http');
const body = Buffer.from(require('node:os').hostname() + '\\n');
const headers = { 'content-type': 'text/plain', 'content-length': body.length };
const server = http.createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(${BACKEND_PORT});
process.on('SIGTERM', () => process.exit(0));
`;

const DOCKERFILE = `FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["${NODE_IN_IMAGE}", "${SERVER_IN_IMAGE}"]
`;

/**
 * The absolute paths of the shared libraries (the dynamic loader included) in `ldd` output; the vDSO,
 * which has no file, is left out.
 */
export function lddPaths(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    const m = /(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m) paths.push(m[1]);
  }
  return paths;
}

/** What goes into the image: its path there and the host file it is copied from (symlinks followed). */
function imageFiles(): Map<string, string> {
  const libs = lddPaths(execFileSync('ldd', [process.execPath], { encoding: 'utf8' }));
  return new Map<string, string>([[NODE_IN_IMAGE, process.execPath], [BUSYBOX, BUSYBOX], ...libs.map((l) => [l, l] as [string, string])]);
}

/** sha256 over the Dockerfile, the server and every file's image path and content. */
function contentHash(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256').update(DOCKERFILE).update(SERVER_JS);
  for (const [inImage, host] of [...files].sort(([a], [b]) => a.localeCompare(b))) h.update(inImage).update(fs.readFileSync(host));
  return h.digest('hex');
}

/** The content label of the local image, or undefined when there is no such image. */
function labelOfExisting(): string | undefined {
  const r = spawnSync('docker', ['image', 'inspect', '-f', `{{index .Config.Labels "${CONTENT_LABEL}"}}`, BACKEND_IMAGE], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Builds {@link BACKEND_IMAGE} unless an image of that name with the same content (the hash of the node
 * binary, its libraries, busybox, the server and the Dockerfile, kept in a label) exists already.
 * @returns whether it built the image.
 */
export function ensureBackendImage(): boolean {
  const files = imageFiles();
  const hash = contentHash(files);
  if (labelOfExisting() === hash) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-image-'));
  try {
    const rootfs = path.join(dir, 'rootfs');
    for (const [inImage, host] of files) {
      const to = path.join(rootfs, inImage);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(host, to);
      fs.chmodSync(to, 0o755);
    }
    fs.mkdirSync(path.join(rootfs, path.dirname(SERVER_IN_IMAGE)), { recursive: true });
    fs.writeFileSync(path.join(rootfs, SERVER_IN_IMAGE), SERVER_JS);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    // Quiet unless it fails: the error carries the build's stderr.
    execFileSync('docker', ['build', '-q', '--label', `${CONTENT_LABEL}=${hash}`, '-t', BACKEND_IMAGE, dir], { stdio: 'pipe' });
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
