/**
 * Known-answer data and generators shared by this library's tests (and usable by the services'
 * tests that build on it). Plain data: no test framework imports.
 */
import { leafHash } from '../merkle';

const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/**
 * The Certificate Transparency reference tree: eight leaves, and the root at every size 0..8.
 * Source: transparency-dev/merkle, proof/verify_test.go (`leaves`, `roots`,
 * `sha256EmptyTreeHash`) at commit 02194e9afb6c1d95b5381350007963aa70fff472; the same tree is
 * in google/certificate-transparency's merkle_tree_test.cc and RFC 6962/9162 implementations.
 */
export const CT_LEAVES: readonly Uint8Array[] = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);

/** CT_ROOTS[n] is the hex root of the first n CT leaves. */
export const CT_ROOTS: readonly string[] = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // size 0: SHA-256("")
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', // size 8
];

/** Tree sizes where Merkle code breaks first: empty, one leaf, and around powers of two. */
export const EDGE_SIZES: readonly number[] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129];

/** Distinct leaf hashes for generated trees: leaf i of the tree seeded by `seed`. */
export function syntheticLeaves(size: number, seed = 0): Uint8Array[] {
  return Array.from({ length: size }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${seed}/${i}`)));
}

/** Lower-case hex, for readable expectations. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Bytes from hex. */
export { unhex };
