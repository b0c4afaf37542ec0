import * as grpc from '@grpc/grpc-js';
import { fromServiceError } from '../api/grpc-json';
import { CA_SERVICE, type IssuedCertificate } from './ca-service';

const CAClient = grpc.makeGenericClientConstructor(CA_SERVICE, 'orch.CA');

/** Calls one `orch.CA` method on a manager. Rejects with an OrchError. */
export async function callCA(managerAddr: string, credentials: grpc.ChannelCredentials, method: 'IssueNodeCertificate' | 'RenewNodeCertificate', req: object): Promise<IssuedCertificate> {
  const client = new CAClient(managerAddr, credentials);
  try {
    return await new Promise<IssuedCertificate>((resolve, reject) =>
      (client as unknown as Record<string, Function>)[method].call(client, req, { deadline: new Date(Date.now() + 30_000) }, (err: grpc.ServiceError | null, res: IssuedCertificate) =>
        err ? reject(fromServiceError(err)) : resolve(res),
      ),
    );
  } finally {
    client.close();
  }
}
