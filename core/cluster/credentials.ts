import * as fs from 'node:fs';
import * as path from 'node:path';
import { OrchError } from '../errors';

/** A node's TLS identity: its private key, its certificate (chain), and the roots it trusts. */
export interface NodeCredentials {
  readonly keyPem: string;
  /** The node certificate, followed by any intermediate (a cross-signed root during rotation). */
  readonly certPem: string;
  /** Every root certificate this node trusts (two during a root rotation). */
  readonly rootsPem: string;
}

function files(dataDir: string) {
  const dir = path.join(dataDir, 'certs');
  return { dir, key: path.join(dir, 'node.key'), cert: path.join(dir, 'node.crt'), roots: path.join(dir, 'roots.pem') };
}

/** Writes `text` to `file` atomically (temp file, fsync, rename) with `mode`. */
function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Stores a node's credentials in `<dataDir>/certs`: the private key readable by its owner only (0600). */
export function saveCredentials(dataDir: string, c: NodeCredentials): void {
  const f = files(dataDir);
  fs.mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  writeAtomic(f.key, c.keyPem, 0o600);
  writeAtomic(f.cert, c.certPem, 0o644);
  writeAtomic(f.roots, c.rootsPem, 0o644);
}

/** Loads a node's credentials. @throws OrchError naming the missing or unreadable file. */
export function loadCredentials(dataDir: string): NodeCredentials {
  const f = files(dataDir);
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new OrchError('internal', `cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return { keyPem: read(f.key), certPem: read(f.cert), rootsPem: read(f.roots) };
}
