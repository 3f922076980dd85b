/**
 * The server's launch environment: the huge-pages tunable joins GLIBC_TUNABLES on Linux only,
 * after what is there, and never overrides a value the user set.
 */
import { strict as assert } from 'node:assert';
import { serverEnvironment } from '../../server/src/node/launchEnv';

describe('serverEnvironment', () => {
  // [platform, GLIBC_TUNABLES before, after]
  const table: [string, string | undefined, string | undefined][] = [
    ['linux', undefined, 'glibc.malloc.hugetlb=1'],
    ['linux', '', 'glibc.malloc.hugetlb=1'],
    ['linux', 'glibc.malloc.arena_max=2', 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1'],
    ['linux', 'glibc.malloc.hugetlb=0', 'glibc.malloc.hugetlb=0'],
    ['linux', 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2', 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2'],
    ['linux', 'glibc.malloc.hugetlbx=1', 'glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1'],
    ['darwin', undefined, undefined],
    ['win32', 'glibc.malloc.arena_max=2', 'glibc.malloc.arena_max=2'],
  ];
  for (const [platform, before, after] of table) {
    it(`${platform}, GLIBC_TUNABLES=${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      const env = { PATH: '/usr/bin', ...(before === undefined ? {} : { GLIBC_TUNABLES: before }) };
      const out = serverEnvironment(env, platform);
      assert.equal(out.GLIBC_TUNABLES, after);
      assert.equal(out.PATH, '/usr/bin');
      // The caller's environment is left as it was.
      assert.equal(env.GLIBC_TUNABLES, before);
    });
  }
});
