/**
 * A minimal client of etcd's KV service over gRPC (grpc-js, as orch's own control client uses): only
 * Put, its request encoded by hand, so no .proto file or generated code is needed.
 */
import * as grpc from '@grpc/grpc-js';

const PUT_METHOD = '/etcdserverpb.KV/Put';

/** Client of one etcd member's KV service. */
export class EtcdKv {
  private readonly client: grpc.Client;

  /** @param target the member's client address, `HOST:PORT`. */
  constructor(target: string) {
    this.client = new grpc.Client(target, grpc.credentials.createInsecure());
  }

  /** Puts `value` at `key`; resolves once the cluster has committed it. The response is not decoded. */
  put(key: Buffer, value: Buffer, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        PUT_METHOD,
        (req: { key: Buffer; value: Buffer }) => encodePutRequest(req.key, req.value),
        (res: Buffer) => res,
        { key, value },
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** The protobuf encoding of `etcdserverpb.PutRequest{key, value}`: fields 1 and 2, both `bytes`. */
function encodePutRequest(key: Buffer, value: Buffer): Buffer {
  return Buffer.concat([bytesField(1, key), bytesField(2, value)]);
}

function bytesField(field: number, bytes: Buffer): Buffer {
  const WIRE_TYPE_LENGTH_DELIMITED = 2;
  return Buffer.concat([varint((field << 3) | WIRE_TYPE_LENGTH_DELIMITED), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
