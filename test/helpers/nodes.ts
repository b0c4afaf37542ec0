export { CPU, GB, META, makeNode, type NodeOptions } from '../../core/testing/builders';
