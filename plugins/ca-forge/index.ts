import type { InjectionToken } from 'tsyringe';
import type { Plugin, PluginKernel } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { certificateAuthority, type CertificateAuthorityLib } from './lib';
import { forgeCertificateAuthority } from './provider';

export * from './ca-state';
export { BACKDATE_MS, type CertifiedKey, type Validity } from './certificate';
export * from './csr';
export * from './issue';
export * from './join-token';
export * from './keys';
export { certificateAuthority, type CertificateAuthorityLib } from './lib';
export { ROOT_CN } from './names';
export * from './renewal';
export * from './root-ca';
export * from './rotation';
export * from './verify';

/** DI token of the cluster's certificate authority library. */
export const CertificateAuthorityToken = Symbol('ForgeCertificateAuthority') as InjectionToken<CertificateAuthorityLib>;

/**
 * The CA plugin: root CA, node certificates carrying node ID, role and cluster ID, join tokens, renewal
 * timing and root rotation by cross-signing, built on node-forge with keys from `node:crypto`.
 * Registers the library under `CertificateAuthorityToken`.
 */
export const caForgePlugin: Plugin = {
  name: 'ca-forge',
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['ForgeCertificateAuthority', 'CertificateAuthority'],
  apply(kernel: PluginKernel): void {
    kernel.provide(CertificateAuthorityToken, certificateAuthority);
    kernel.provide(Tokens.CertificateAuthority, forgeCertificateAuthority);
  },
};

export default caForgePlugin;
