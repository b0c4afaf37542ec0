import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { CertificateSubject } from '../../../core/cluster/identity';

/** One side of a mutual-TLS connection: its key, its certificate chain and the roots it trusts (PEM). */
export interface TlsParty {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

/** How a handshake went, and who each side saw on the other end. */
export type HandshakeResult =
  | { readonly ok: true; readonly serverSaw: CertificateSubject; readonly clientSaw: CertificateSubject }
  /** `error`: the OpenSSL or socket error codes of the client and the server, e.g. `ECONNRESET; CERT_HAS_EXPIRED`. */
  | { readonly ok: false; readonly error: string };

/**
 * Runs one mutual-TLS handshake on loopback: a node:tls server that requires and verifies client
 * certificates, and a client that verifies the server as `localhost`. The server refuses an unauthorized
 * client itself rather than through `rejectUnauthorized`, which is the same check but would drop the
 * connection without saying why. With TLS 1.3 a client learns that it was refused only after its own
 * handshake is done, so success means the server accepted the connection and said so.
 */
export async function handshake(server: TlsParty, client: TlsParty): Promise<HandshakeResult> {
  let serverSaw: CertificateSubject | undefined;
  let serverError: string | undefined;
  const srv = tls.createServer({ ...server, requestCert: true, rejectUnauthorized: false });
  srv.on('tlsClientError', (err: NodeJS.ErrnoException) => (serverError = err.code ?? err.message));
  srv.on('secureConnection', (socket) => {
    if (!socket.authorized) {
      serverError = String(socket.authorizationError);
      socket.destroy();
      return;
    }
    serverSaw = socket.getPeerCertificate().subject;
    socket.end('ok');
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = srv.address() as AddressInfo;
    return await new Promise<HandshakeResult>((resolve) => {
      let clientSaw: CertificateSubject | undefined;
      let clientError: string | undefined;
      let received = '';
      const socket = tls.connect({ ...client, host: '127.0.0.1', port, servername: 'localhost' });
      socket.on('secureConnect', () => (clientSaw = socket.getPeerCertificate().subject));
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', (err: NodeJS.ErrnoException) => (clientError = err.code ?? err.message));
      socket.on('close', () =>
        setImmediate(() =>
          resolve(
            received === 'ok' && serverSaw && clientSaw
              ? { ok: true, serverSaw, clientSaw }
              : { ok: false, error: [clientError, serverError].filter(Boolean).join('; ') || 'connection closed' },
          ),
        ),
      );
    });
  } finally {
    await new Promise((resolve) => srv.close(resolve));
  }
}
