import { sign } from 'node:crypto';
import forge from 'node-forge';

/** forge's `pki` has these builders at run time; its type declarations leave them out. */
interface PkiBuilders {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
}
const builders = forge.pki as unknown as PkiBuilders;

/** RSASSA-PKCS1-v1_5 with SHA-256 over DER bytes, in native code (forge's own RSA takes tens of ms a signature in JS). */
function sha256WithRsa(der: forge.asn1.Asn1, keyPem: string): string {
  return sign('sha256', Buffer.from(forge.asn1.toDer(der).getBytes(), 'binary'), keyPem).toString('binary');
}

/** Signs a certificate with SHA-256 and RSA as forge's `cert.sign` does, but with Node's crypto. */
export function signCertificateNatively(cert: forge.pki.Certificate, keyPem: string): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.tbsCertificate = builders.getTBSCertificate(cert);
  cert.signature = sha256WithRsa(cert.tbsCertificate, keyPem);
}

/** Signs a certification request with SHA-256 and RSA as forge's `csr.sign` does, but with Node's crypto. */
export function signRequestNatively(csr: forge.pki.CertificateSigningRequest, keyPem: string): void {
  csr.signatureOid = csr.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const info = builders.getCertificationRequestInfo(csr);
  csr.certificationRequestInfo = info;
  csr.signature = sha256WithRsa(info, keyPem);
}
