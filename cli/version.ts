import pkg from '../package.json';

/** This build's version, from package.json. */
export const VERSION: string = pkg.version;
