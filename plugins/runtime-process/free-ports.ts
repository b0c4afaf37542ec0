import * as net from 'node:net';

/** A port the OS picks as free on `host` (it is free when this resolves; the task binds it next). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct free TCP ports on `host`. */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const p = await freePort(host);
    if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}
