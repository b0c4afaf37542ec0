import * as grpc from '@grpc/grpc-js';
import { fromServiceError } from '../api/grpc-json';
import { CA_SERVICE, type CAStatus, type IssuedCertificate } from './ca-service';

const CAClient = grpc.makeGenericClientConstructor(CA_SERVICE, 'orch.CA');

interface CAMethods {
  IssueNodeCertificate: IssuedCertificate;
  RenewNodeCertificate: IssuedCertificate;
  Status: CAStatus;
}

/** Calls one `orch.CA` method on a manager. Rejects with an OrchError. */
export async function callCA<M extends keyof CAMethods>(managerAddr: string, credentials: grpc.ChannelCredentials, method: M, req: object): Promise<CAMethods[M]> {
  const client = new CAClient(managerAddr, credentials);
  try {
    return await new Promise<CAMethods[M]>((resolve, reject) =>
      (client as unknown as Record<string, Function>)[method].call(client, req, { deadline: new Date(Date.now() + 30_000) }, (err: grpc.ServiceError | null, res: CAMethods[M]) =>
        err ? reject(fromServiceError(err)) : resolve(res),
      ),
    );
  } finally {
    client.close();
  }
}
